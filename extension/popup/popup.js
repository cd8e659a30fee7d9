/**
 * The popup's wiring: asks the background for status, helper state and config, keeps
 * them in one `state`, and re-renders the tabs from it. Each tab's logic lives in its
 * own module; this file only connects events to them. It never throws at the user:
 * without the background (or the helper) every tab still shows something useful.
 *
 * `popup.html#settings`, `#devices`, `#troubleshoot` and `#manual` open on that tab (for links and
 * end-to-end tests).
 */

import { formatCredits, formatReset } from "../shared/format.js";
import { chosenLanguage, loadTranslator } from "../shared/i18n.js";
import { KIND, HELPER_STATE, EXTENSION_ERROR } from "../shared/messages.js";
import { localizeStatic } from "./i18n.js";
import { send, onPush } from "./rpc.js";
import { fill, h } from "../shared/dom.js";
import { showFieldErrors } from "./dom.js";
import { statusView, renderStatus, withTally, pickAccount } from "./status.js";
import {
  fillForm, readForm, settingsChanges, problemsByField, updateDependentFields, alternativeRow,
} from "./settings.js";
import { diagnoseRequest, stepsView, renderSteps } from "./troubleshoot.js";
import {
  manualUsage, fillManualForm, withEntry, withoutEntry, undoFields, renderEntries,
} from "./manual.js";
import { INSTALL_OSES, installGuide, installOs } from "./install.js";
import { guideUrl } from "./guide.js";
import { fetchLoads, renderSelfCheck, selfCheckView, wireSelfCheckCopy } from "./self-check.js";
import { createDevices, devicesView, renderDevices } from "./devices.js";

const LANGUAGE_CACHE = "creditGuard.popupLanguage";
const ACCOUNT_CACHE = "creditGuard.popupAccount";
const ENTRIES_CACHE = "creditGuard.manualEntries";
const fmt = { formatCredits, formatReset };
/** The Devices tab's flows; its requests carry the popup's language (the helper's texts). */
const devices = createDevices({
  send: (kind, fields) => send(kind, { ...fields, language: state.lang }),
  onChange: () => renderDevicesTab(),
  onSynced: () => refresh({ refillSettings: false }),
});
const $ = (selector) => document.querySelector(selector);

const state = {
  lang: "en",
  /** @type {((key: string, subs?: Array<string|number>) => string) | null} */
  t: null,
  status: null,
  helperReply: null,
  config: null,
  account: readCache(ACCOUNT_CACHE),
  helperState: HELPER_STATE.CONNECTING,
  /** The operating system the install steps are for: detected, or picked by the user. */
  installOs: installOs("", globalThis.navigator?.userAgentData?.platform ?? globalThis.navigator?.platform),
  /** The self-check's kept loads (popup/self-check.js). */
  selfCheckLoads: [],
};

function readCache(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeCache(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // a page without storage: the popup just forgets
  }
}

/** Loads the strings for the language the setting (or the browser) asks for. */
async function useLanguage(setting) {
  const lang = chosenLanguage(setting);
  if (state.t && lang === state.lang) return;
  state.lang = lang;
  state.t = await loadTranslator(lang);
  document.documentElement.lang = lang;
  localizeStatic(document, state.t);
  $("#guide-link").href = guideUrl(lang);
  $("#steps").replaceChildren(); // the helper wrote them in the other language
}

// ---- rendering -----------------------------------------------------------------------

function renderAll() {
  const { t, lang } = state;
  const nowMs = Date.now();
  const view = statusView(state.status, {
    account: state.account,
    reserve: state.config?.account?.reserve,
    nowMs,
    helperReply: state.helperReply,
  });
  renderHelper(view.helper);
  renderAccounts(view);
  $("#status-empty").textContent = t(view.helper.state === HELPER_STATE.MISSING
    ? "popup_status_no_helper" : "popup_status_empty");
  renderStatus($("#status-view"), view, { t, fmt, lang, nowMs });
  fillManualForm($("#manual-form"), { accounts: view.accounts, account: view.account, t, lang });
  renderSelfCheck(document, selfCheckView(state.selfCheckLoads), { t, lang });
  renderEntries($("#manual-recent"), manualEntries(), { t, lang, formatCredits, onUndo: undoEntry });
}

/** The manual entries made here that still offer an Undo (manual.js), newest first. */
function manualEntries() {
  try {
    const entries = JSON.parse(readCache(ENTRIES_CACHE) ?? "[]");
    return Array.isArray(entries) ? entries : [];
  } catch {
    return [];
  }
}

async function undoEntry(entry) {
  const { t } = state;
  const reply = await send(KIND.UNDO, undoFields(entry));
  const result = $("#manual-result");
  if (!reply.ok) {
    result.textContent = t("popup_manual_undo_failed", [reply.error?.code ?? ""]);
    return;
  }
  writeCache(ENTRIES_CACHE, JSON.stringify(withoutEntry(manualEntries(), entry.event_id)));
  result.textContent = t("popup_manual_undone", [t(`popup_op_${entry.operation}`), entry.account]);
  renderAll();
}

function renderHelper(helper) {
  const { t } = state;
  const pill = $("#helper-state");
  pill.dataset.state = helper.state;
  pill.textContent = t(`popup_helper_${helper.state}`);
  pill.title = [helper.version && t("popup_helper_version", [helper.version]), helper.lastError]
    .filter(Boolean).join("\n");

  state.helperState = helper.state;
  const missing = helper.state === HELPER_STATE.MISSING;
  $("#install-help").hidden = !missing;
  if (missing) renderInstallHelp(helper);
  const missed = $("#missed-preflights");
  missed.hidden = !(helper.missedPreflights > 0);
  missed.textContent = helper.missedPreflights === 1
    ? t("popup_missed_preflight_one")
    : t("popup_missed_preflights", [String(helper.missedPreflights)]);
}

/** The steps for the chosen operating system, the command to copy, the guide's link. */
function renderInstallHelp(helper) {
  const { t } = state;
  const guide = installGuide(state.installOs, globalThis.chrome?.runtime?.id);
  $("#install-os").value = state.installOs;
  fill($("#install-steps"), guide.steps.map(({ key, command }, index) => h("li", { "data-step": key },
    t(key),
    command && h("div", { class: "command" },
      h("code", { id: `install-command-${index}` }, command),
      h("button", { type: "button", class: "copy", "data-copy": `install-command-${index}` }, t("popup_copy"))))));
  $("#install-guide").href = guideUrl(state.lang, "install");
  $("#install-cli").textContent = guide.cli;
  $("#helper-error").hidden = !helper.lastError;
  $("#helper-error").textContent = t("popup_helper_details", [helper.lastError ?? ""]);
}

function renderAccounts(view) {
  $("#account-row").hidden = view.accounts.length === 0;
  const select = $("#account");
  fill(select, view.accounts.map((name) => h("option", { value: name }, name)));
  select.value = view.account ?? "";
  select.hidden = view.accounts.length < 2;
  $("#account-name").hidden = view.accounts.length !== 1;
  $("#account-name").textContent = view.account ?? "";
  state.account = view.account;
}

/** The Devices tab, from its own model (devices.js): redrawn when its flows change it. */
function renderDevicesTab() {
  if (!state.t) return;
  renderDevices($("#devices-body"), $("#devices-status"), devicesView(devices.model),
    { t: state.t, lang: state.lang, nowMs: Date.now(), controller: devices });
}

function renderSettings() {
  const form = $("#settings-form");
  const available = Boolean(state.config);
  $("#settings-unavailable").hidden = available;
  form.hidden = !available;
  if (!available) return;
  fillForm(form, state.config, { t: state.t, lang: state.lang });
  $("#settings-account").textContent = state.config.account?.account ?? "";
}

// ---- data ----------------------------------------------------------------------------

/** Fetches everything again and redraws; settings are refilled only when asked. */
async function refresh({ refillSettings = true } = {}) {
  const [status, helperReply, selfCheckLoads] = await Promise.all([send(KIND.STATUS), send(KIND.HELPER_STATE), fetchLoads()]);
  state.selfCheckLoads = selfCheckLoads;
  state.status = status;
  state.helperReply = helperReply;
  const names = status.ok ? (status.accounts ?? []).map((a) => a.account) : [];
  state.account = pickAccount(names.sort(), state.account);
  if (refillSettings) {
    const config = await send(KIND.CONFIG_GET, state.account ? { account: state.account } : {});
    state.config = config.ok ? config : null;
    if (state.config) writeCache(LANGUAGE_CACHE, state.config.global?.language ?? "auto");
    await useLanguage(state.config?.global?.language ?? readCache(LANGUAGE_CACHE) ?? "auto");
    renderSettings();
    devices.load(); // in the language just chosen; draws itself when answered
  }
  renderAll();
}

let refreshTimer = 0;
/** Pushes come in bursts; one status fetch after them brings the history up to date. */
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refresh({ refillSettings: false }), 400);
}

function onBackgroundMessage(message) {
  if (message.kind === KIND.TALLY_CHANGED) {
    state.status = withTally(state.status, message.tally);
    renderAll();
    refreshSoon();
  } else if (message.kind === KIND.HELPER_STATE) {
    const wasConnected = state.helperReply?.state === HELPER_STATE.CONNECTED;
    state.helperReply = message;
    renderAll();
    if (message.state === HELPER_STATE.CONNECTED && !wasConnected) refresh();
  }
}

// ---- events --------------------------------------------------------------------------

function showTab(name) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.dataset.panel === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`#${tab.getAttribute("aria-controls")}`).hidden = !selected;
  }
}

function wireTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => showTab(tab.dataset.panel));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      showTab(next.dataset.panel);
      next.focus();
    });
  }
  const wanted = location.hash.slice(1);
  showTab(["settings", "devices", "troubleshoot"].includes(wanted) ? wanted : "status");
  if (wanted === "manual") $("#manual").open = true;
}

function wireAccountPicker() {
  $("#account").addEventListener("change", (event) => {
    state.account = event.target.value;
    writeCache(ACCOUNT_CACHE, state.account);
    $("#steps").replaceChildren();
    refresh();
  });
}

/** Copy buttons, also those drawn later (the install steps): one listener for all. */
function wireCopyButtons() {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest?.("[data-copy]");
    if (!button) return;
    const text = $(`#${button.dataset.copy}`).textContent;
    const copied = await navigator.clipboard?.writeText(text).then(() => true, () => false);
    button.textContent = state.t(copied ? "popup_copied" : "popup_copy_failed");
    setTimeout(() => { button.textContent = state.t("popup_copy"); }, 2000);
  });
}

/** The detected operating system (the extension API knows it best), or the one picked. */
function wireInstallOs() {
  let picked = false;
  const redraw = () => { if (!$("#install-help").hidden) renderAll(); };
  globalThis.chrome?.runtime?.getPlatformInfo?.().then((info) => {
    if (picked || !info?.os) return;
    state.installOs = installOs(info.os);
    redraw();
  }, () => {});
  $("#install-os").addEventListener("change", (event) => {
    picked = INSTALL_OSES.includes(event.target.value);
    if (picked) state.installOs = event.target.value;
    redraw();
  });
}

function wireSettings() {
  const form = $("#settings-form");
  form.addEventListener("input", () => updateDependentFields(form, state.config, state));
  $("#alternative-add").addEventListener("click", () => {
    $("#alternatives").append(alternativeRow({}, state.t));
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { t } = state;
    const result = $("#settings-result");
    const changes = settingsChanges(state.config, readForm(form));
    const errors = Object.fromEntries(Object.entries(changes.errors).map(([f, key]) => [f, t(key)]));
    showFieldErrors(form, errors);
    result.textContent = "";
    if (Object.keys(errors).length) return;
    const requests = [];
    if (Object.keys(changes.account).length) {
      requests.push({ account: state.config.account.account, ...changes.account });
    }
    if (Object.keys(changes.global).length) requests.push(changes.global);
    if (!requests.length) {
      result.textContent = t("popup_settings_unchanged");
      return;
    }
    const replies = await Promise.all(requests.map((fields) => send(KIND.CONFIG_SET, fields)));
    const rejected = replies.filter((reply) => !reply.ok).map((reply) => problemsByField(reply.error));
    if (rejected.length) {
      const byField = Object.assign({}, ...rejected);
      showFieldErrors(form, Object.fromEntries(Object.entries(byField)
        .map(([field, problem]) => [field, t("popup_settings_rejected", [problem])])));
      return;
    }
    await refresh();
    $("#settings-result").textContent = state.t("popup_saved");
  });
}

function wireManualEntry() {
  const form = $("#manual-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { t, lang } = state;
    const values = {
      account: form.elements.namedItem("account").value,
      operation: form.elements.namedItem("operation").value,
      credits: form.elements.namedItem("credits").value,
    };
    const built = manualUsage(values, { eventId: crypto.randomUUID(), nowMs: Date.now() });
    const errors = built.errors ?? {};
    showFieldErrors(form, Object.fromEntries(Object.entries(errors).map(([f, key]) => [f, t(key)])));
    $("#manual-result").textContent = "";
    if (built.errors) return;
    const reply = await send(KIND.USAGE, built.fields);
    if (!reply.ok) {
      showFieldErrors(form, { form: t("popup_manual_failed", [reply.error?.code ?? ""]) });
      return;
    }
    const operation = t(`popup_op_${built.fields.operation}`);
    $("#manual-result").textContent = built.fields.credits === undefined
      ? t("popup_manual_done", [operation, built.fields.account])
      : t("popup_manual_done_credits",
        [operation, formatCredits(built.fields.credits, lang), built.fields.account]);
    form.elements.namedItem("credits").value = "";
    writeCache(ENTRIES_CACHE, JSON.stringify(withEntry(manualEntries(), built.fields)));
    renderAll();
  });
}

function wireTroubleshoot() {
  const button = $("#diagnose-button");
  button.addEventListener("click", async () => {
    const { t } = state;
    const note = $("#diagnose-note");
    button.disabled = true;
    note.hidden = false;
    note.textContent = t("popup_diagnosing");
    const reply = state.account
      ? await send(KIND.DIAGNOSE, diagnoseRequest(state.account, null, state.lang))
      : { ok: false, error: { code: EXTENSION_ERROR.NO_ACCOUNT } };
    const view = stepsView(reply, t, globalThis.chrome?.runtime?.getURL?.(""));
    note.hidden = view.fromHelper;
    const noAccount = reply.error?.code === EXTENSION_ERROR.NO_ACCOUNT
      && state.helperState !== HELPER_STATE.MISSING;
    note.textContent = view.fromHelper ? "" : t(noAccount ? "popup_steps_no_account" : "popup_steps_fallback");
    renderSteps($("#steps"), view, { t });
    button.disabled = false;
  });
}

async function main() {
  await useLanguage(readCache(LANGUAGE_CACHE) ?? "auto");
  wireTabs();
  wireAccountPicker();
  wireCopyButtons();
  wireInstallOs();
  wireSelfCheckCopy(document, () => ({ loads: state.selfCheckLoads, t: state.t }));
  wireSettings();
  wireManualEntry();
  wireTroubleshoot();
  onPush(onBackgroundMessage);
  setInterval(renderAll, 30_000);
  await refresh();
}

main();
