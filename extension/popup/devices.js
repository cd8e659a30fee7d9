/**
 * The Devices tab: syncing this person's devices through the helper's sync.* kinds
 * (docs/PROTOCOL.md, "sync.status" …). It shows the sync state, this device's name
 * (editable), the other devices with when their newest event was made, and the
 * transport; unpaired, it pairs (shows the code and its QR) or joins with a code;
 * paired, it shows the code again, syncs now, or leaves after asking.
 *
 * Three parts, each testable without a browser: `createDevices` (the flows: what is
 * asked of the helper and what the tab shows next, over a `send` like rpc.js's),
 * `devicesView` (what the model means, no DOM, no language), `renderDevices` (the DOM,
 * built with shared/dom.js: the helper's texts and the QR code never go in as HTML).
 *
 * DOM hooks: #devices-body[data-sync-state], [data-sync-action] buttons, [data-field]
 * inputs, #pairing-code, img.pairing-qr, li[data-device], .confirm (leave), the
 * #devices-status live region (results and errors of the last action).
 */

import { confirmation } from "../shared/confirm.js";
import { fill, h } from "../shared/dom.js";
import { EXTENSION_ERROR, KIND } from "../shared/messages.js";
import { HELPER_ERROR } from "../shared/protocol.js";
import { formatSeen } from "./dates.js";

/** `sync.state` as the helper says it. */
export const SYNC_STATE = Object.freeze({ OFF: "off", OK: "ok", STALE: "stale", ERROR: "error" });

/** What the unpaired tab is doing: nothing yet, pairing, joining; paired: leaving. */
export const STEP = Object.freeze({ NONE: "none", PAIR: "pair", JOIN: "join", LEAVE: "leave" });

const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

/** The longest device name the helper takes (characters, after trimming). */
export const MAX_NAME = 40;

/** Helper errors whose message is written for people, in the request's language. */
const FOR_PEOPLE = new Set([
  HELPER_ERROR.PAIRING_CODE, HELPER_ERROR.KEYRING, HELPER_ERROR.NOT_PAIRED,
  HELPER_ERROR.ALREADY_PAIRED, HELPER_ERROR.SYNC_FAILED,
]);

/** The line under the title for each state. */
const STATE_KEYS = {
  [SYNC_STATE.OFF]: "popup_sync_state_off",
  [SYNC_STATE.OK]: "popup_sync_state_ok",
  [SYNC_STATE.STALE]: "popup_sync_state_stale",
  [SYNC_STATE.ERROR]: "popup_sync_state_error",
};
/** …and when no exchange has succeeded yet. */
const STATE_NEVER_KEYS = {
  [SYNC_STATE.OK]: "popup_sync_state_ok_never",
  [SYNC_STATE.STALE]: "popup_sync_state_stale_never",
};
/** The transport choices when pairing. */
const WITH_KEYS = { hub: "popup_sync_with_hub", folder: "popup_sync_with_folder" };
/** The live region while an action waits for the helper. */
const BUSY_KEYS = {
  pair: "popup_sync_busy_pair",
  join: "popup_sync_busy_join",
  now: "popup_sync_busy_now",
  leave: "popup_sync_busy_leave",
  name: "popup_sync_busy_name",
};

/** A text from the popup's catalog, translated when drawn. */
const say = (key, ...subs) => ({ key, subs: subs.map(String) });
/** A text the helper already wrote in the user's language. */
const said = (text) => ({ text: String(text) });

/** A `say`/`said` phrase in words. */
export function phrase(value, t) {
  if (!value) return "";
  return value.text ?? t(value.key, value.subs);
}

function initialModel() {
  return {
    /** The helper's last sync status (PROTOCOL.md), or null before the first answer. */
    sync: null,
    /** Why sync.status could not be asked (a phrase), e.g. no helper. */
    unavailable: null,
    step: STEP.NONE,
    /** Unpaired, pairing: "hub" or "folder". */
    pairWith: "hub",
    /** Joining: also ask for the folder (the user said so, or the helper did). */
    joinFolder: false,
    /** After sync.pair: {code, qrSvg}. */
    pairing: null,
    /** The action waiting for the helper ("status", "pair", "join", "now", "leave", "name"). */
    busy: null,
    /** What the user typed, kept across redraws; `name` null: unchanged. */
    fields: { hub_url: "", folder: "", code: "", name: null },
    /** field → phrase, beside the fields. */
    errors: {},
    /** The result of the last action, for the live region (a phrase). */
    note: null,
    /** The element (its data-focus key) to focus after the next redraw. */
    focus: null,
  };
}

/**
 * The error reply of a sync.* request as a phrase: the helper's own words when it
 * wrote them for people, else the popup's.
 */
export function problem(error) {
  const code = error?.code ?? "";
  if (code === EXTENSION_ERROR.HELPER_UNAVAILABLE) return say("popup_sync_no_helper");
  if (code === EXTENSION_ERROR.TIMEOUT) return say("popup_sync_timeout");
  if (FOR_PEOPLE.has(code) && error.message) return said(error.message);
  if (code === HELPER_ERROR.UNKNOWN_TYPE) return say("popup_sync_old_helper");
  if (code === HELPER_ERROR.INVALID) return say("popup_sync_rejected", error.message ?? code);
  return say("popup_sync_error_code", code);
}

/**
 * The form field an error is about, if it is one of `fields`: a refused pairing code's,
 * or the field an `invalid` one names (`params.problems`, as the helper gives them).
 */
export function fieldOf(error, fields) {
  if (error?.code === HELPER_ERROR.PAIRING_CODE) return fields.includes("code") ? "code" : null;
  if (error?.code !== HELPER_ERROR.INVALID) return null;
  const named = (error.params?.problems ?? []).map(({ field = "" }) => String(field).split(".")[0]);
  return named.find((field) => fields.includes(field)) ?? null;
}

/** "name" trimmed, if the helper would take it; else null. */
export function deviceName(text) {
  const name = String(text ?? "").trim();
  const length = [...name].length;
  return length >= 1 && length <= MAX_NAME ? name : null;
}

/** A hub address the pairing code can carry: ws:// or wss://, no spaces. */
export function isHubUrl(text) {
  return /^wss?:\/\/[^\s/?#]+[^\s]*$/i.test(String(text ?? "").trim());
}

/**
 * The tab's flows over `send(kind, fields)` (rpc.js's, with the language added).
 * `onChange(model)` after every change worth a redraw; `onSynced()` after events may
 * have arrived (a join, a sync that received some), so the tally is asked again.
 */
export function createDevices({ send, onChange = () => {}, onSynced = () => {} }) {
  let model = initialModel();

  function update(patch) {
    model = { ...model, ...patch };
    onChange(model);
  }

  /** Sends `kind` unless another action is under way; null when it was not sent. */
  async function run(busy, kind, fields) {
    if (model.busy) return null;
    update({ busy, note: BUSY_KEYS[busy] ? say(BUSY_KEYS[busy]) : model.note, errors: {} });
    const reply = await send(kind, fields);
    model = { ...model, busy: null, ...(reply.ok && reply.sync ? { sync: reply.sync, unavailable: null } : {}) };
    return reply;
  }

  /**
   * A failed action: the error beside its field (the helper's own words: it writes
   * those for people, in the request's language), or in the live region.
   */
  function failed(reply, fields, focus, patch = {}) {
    const field = fieldOf(reply.error, fields);
    if (!field) {
      update({ ...patch, note: problem(reply.error), focus });
      return;
    }
    const text = reply.error.message ? said(reply.error.message) : problem(reply.error);
    update({ ...patch, errors: { [field]: text }, note: say("popup_sync_fix_field"), focus: field });
  }

  /** Asks for the state again without touching the live region (after a failure). */
  async function reloadQuietly() {
    const reply = await send(KIND.SYNC_STATUS, {});
    if (reply.ok && reply.sync) update({ sync: reply.sync, unavailable: null });
  }

  return {
    get model() {
      return model;
    },

    /** The element to focus after this redraw, once. */
    takeFocus() {
      const { focus } = model;
      model = { ...model, focus: null };
      return focus;
    },

    /** Asks the helper for the sync status (opening the tab, reconnecting). */
    async load() {
      const reply = await run("status", KIND.SYNC_STATUS, {});
      if (!reply) return;
      if (reply.ok && reply.sync) update({});
      else update({ unavailable: problem(reply.error) });
    },

    /** Keeps what the user typed (no redraw: the field keeps its caret). */
    input(field, value) {
      model = { ...model, fields: { ...model.fields, [field]: value } };
    },

    startPair() {
      update({ step: STEP.PAIR, errors: {}, note: null, focus: `transport-${model.pairWith}` });
    },

    choose(pairWith) {
      update({ pairWith, errors: {} });
    },

    startJoin() {
      update({ step: STEP.JOIN, errors: {}, note: null, focus: "code" });
    },

    setJoinFolder(joinFolder) {
      update({ joinFolder, errors: {} });
    },

    cancel() {
      const back = { [STEP.PAIR]: "pair", [STEP.JOIN]: "join", [STEP.LEAVE]: "leave" }[model.step];
      update({ step: STEP.NONE, errors: {}, note: null, focus: back ?? null });
    },

    async submitPair() {
      const field = model.pairWith === "hub" ? "hub_url" : "folder";
      const value = model.fields[field].trim();
      const wrong = field === "hub_url" ? !isHubUrl(value) : value === "";
      if (wrong) {
        const key = field === "hub_url" ? "popup_sync_error_hub_url" : "popup_sync_error_folder";
        update({ errors: { [field]: say(key) }, note: say("popup_sync_fix_field"), focus: field });
        return;
      }
      const reply = await run("pair", KIND.SYNC_PAIR, { [field]: value });
      if (!reply) return;
      if (!reply.ok) {
        failed(reply, [field], "pair-submit");
        return;
      }
      update({
        step: STEP.NONE,
        pairing: { code: reply.code, qrSvg: reply.qr_svg },
        note: say("popup_sync_paired"),
        focus: "pairing-code",
      });
    },

    async submitJoin() {
      const code = model.fields.code.trim();
      const folder = model.fields.folder.trim();
      const errors = {};
      if (!code) errors.code = say("popup_sync_error_code_empty");
      if (model.joinFolder && !folder) errors.folder = say("popup_sync_error_folder");
      if (Object.keys(errors).length) {
        update({ errors, note: say("popup_sync_fix_field"), focus: Object.keys(errors)[0] });
        return;
      }
      const reply = await run("join", KIND.SYNC_JOIN, model.joinFolder ? { code, folder } : { code });
      if (!reply) return;
      if (!reply.ok) {
        // A shared folder's code: the helper asks for this device's path of the folder.
        const needsFolder = fieldOf(reply.error, ["folder"]) === "folder";
        failed(reply, ["code", "folder"], "join-submit", needsFolder ? { joinFolder: true } : {});
        return;
      }
      update({
        step: STEP.NONE,
        fields: { ...model.fields, code: "" },
        note: say("popup_sync_joined"),
        focus: "sync-now",
      });
      onSynced();
    },

    /** Paired: the group's code again. */
    async showCode() {
      const reply = await run("pair", KIND.SYNC_PAIR, {});
      if (!reply) return;
      if (!reply.ok) {
        failed(reply, [], "show-code");
        return;
      }
      update({ pairing: { code: reply.code, qrSvg: reply.qr_svg }, note: null, focus: "pairing-code" });
    },

    hideCode() {
      update({ pairing: null, focus: "show-code" });
    },

    async syncNow() {
      const reply = await run("now", KIND.SYNC_NOW, {});
      if (!reply) return;
      if (!reply.ok) {
        failed(reply, [], "sync-now");
        await reloadQuietly(); // its state and last error
        return;
      }
      const { sent = 0, received = 0, refused = 0 } = reply.exchanged ?? {};
      update({
        note: refused > 0
          ? say("popup_sync_done_refused", sent, received, refused)
          : say("popup_sync_done", sent, received),
        focus: "sync-now",
      });
      if (received > 0) onSynced();
    },

    askLeave() {
      update({ step: STEP.LEAVE, note: null, pairing: null, focus: "leave-no" });
    },

    async confirmLeave() {
      const reply = await run("leave", KIND.SYNC_LEAVE, {});
      if (!reply) return;
      if (!reply.ok) {
        update({ step: STEP.NONE });
        failed(reply, [], "leave");
        return;
      }
      update({ step: STEP.NONE, pairing: null, note: say("popup_sync_left"), focus: "pair" });
    },

    async rename() {
      const typed = model.fields.name ?? model.sync?.this_device?.name ?? "";
      const name = deviceName(typed);
      if (!name) {
        update({ errors: { name: say("popup_sync_error_name", MAX_NAME) }, note: say("popup_sync_fix_field"), focus: "name" });
        return;
      }
      const reply = await run("name", KIND.SYNC_NAME, { name });
      if (!reply) return;
      if (!reply.ok) {
        failed(reply, ["name"], "name");
        return;
      }
      update({ fields: { ...model.fields, name: null }, note: say("popup_sync_renamed", name), focus: "name" });
    },
  };
}

/**
 * What the model means on screen, without DOM or language.
 * @returns {{
 *   state: string, paired: boolean, stateLine: object|null, unavailable: object|null,
 *   transport: {kind: string, where: string}|null, thisDevice: {id: string, name: string}|null,
 *   devices: Array<{id: string, name: string, lastEventAt: string|null}>,
 *   step: string, pairWith: string, joinFolder: boolean, pairing: {code: string, qrSrc: string|null}|null,
 *   busy: string|null, fields: object, errors: object, note: object|null,
 * }}
 */
export function devicesView(model) {
  const sync = model.sync;
  const state = sync?.state ?? null;
  const paired = Boolean(sync) && state !== SYNC_STATE.OFF;
  return {
    state: state ?? "unknown",
    paired,
    stateLine: sync ? stateLine(sync) : null,
    unavailable: sync ? null : model.unavailable,
    transport: paired ? transportOf(sync) : null,
    thisDevice: sync?.this_device ?? null,
    devices: [...(sync?.devices ?? [])]
      .map(({ id, name, last_event_at: lastEventAt = null }) => ({ id, name: name || shortId(id), lastEventAt }))
      .sort(newestFirst),
    step: paired && model.step !== STEP.LEAVE ? STEP.NONE : model.step,
    pairWith: model.pairWith,
    joinFolder: model.joinFolder,
    pairing: paired && model.pairing ? { code: model.pairing.code, qrSrc: qrSource(model.pairing.qrSvg) } : null,
    busy: model.busy,
    fields: model.fields,
    errors: model.errors,
    note: model.note,
  };
}

/** The state line's phrase; `{when}` marks where the last sync time goes. */
function stateLine(sync) {
  if (sync.state === SYNC_STATE.ERROR) {
    return say(STATE_KEYS.error, sync.last_error?.message || sync.last_error?.reason || "");
  }
  if (sync.state in STATE_NEVER_KEYS && !sync.last_sync_at) return say(STATE_NEVER_KEYS[sync.state]);
  return { ...say(STATE_KEYS[sync.state] ?? STATE_KEYS.off), when: sync.last_sync_at ?? null };
}

function transportOf(sync) {
  if (sync.transport === "hub" && sync.hub_url) return { kind: "hub", where: sync.hub_url };
  if (sync.transport === "folder" && sync.folder) return { kind: "folder", where: sync.folder };
  return null;
}

function shortId(id) {
  return String(id ?? "").slice(0, 8);
}

/** Devices heard of most recently first, the never-heard last, then by name. */
function newestFirst(a, b) {
  const at = (device) => Date.parse(device.lastEventAt ?? "") || 0;
  return at(b) - at(a) || a.name.localeCompare(b.name);
}

/**
 * The helper's QR code (SVG text) as a data: URL for an <img>, which runs no script. An
 * SVG made for inlining in HTML may lack its namespace, without which an image of it
 * shows nothing: it is added then.
 */
export function qrSource(svg) {
  const start = /^\s*(<\?xml[^>]*>\s*)?<svg(?=[\s>])/;
  if (typeof svg !== "string" || !start.test(svg)) return null;
  const image = /^[^>]*\sxmlns=/.test(svg.slice(svg.indexOf("<svg")))
    ? svg
    : svg.replace(start, (opening) => `${opening} xmlns="${SVG_NAMESPACE}"`);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(image)}`;
}

/**
 * Draws the tab into `root` (#devices-body) and the last result into `live`
 * (#devices-status, an aria-live region that stays in the page). Focus goes where the
 * last action sent it (`controller.takeFocus()`), else stays on the element it was on.
 * @param {HTMLElement} root
 * @param {HTMLElement} live
 * @param {ReturnType<typeof devicesView>} view
 * @param {{t: Function, lang: string, nowMs: number, controller: ReturnType<typeof createDevices>}} env
 */
export function renderDevices(root, live, view, { t, lang, nowMs, controller }) {
  const doc = root.ownerDocument;
  const active = doc.activeElement;
  const kept = active && root.contains(active) ? active.getAttribute("data-focus") : null;
  const busy = Boolean(view.busy);
  const c = controller;
  /** A button; while the helper works it stays focusable but does nothing. */
  const button = (action, text, onclick, className = "secondary") => h("button", {
    type: "button", class: className, "data-sync-action": action, "data-focus": action,
    "aria-disabled": busy ? "true" : false, onclick: () => { if (!busy) onclick(); },
  }, text);

  root.setAttribute("data-sync-state", view.state);
  root.setAttribute("aria-busy", busy ? "true" : "false");
  fill(root,
    view.stateLine && h("p", { class: "sync-state", "data-sync-state": view.state },
      t(view.stateLine.key, view.stateLine.when !== undefined
        ? [formatSeen(view.stateLine.when, lang, nowMs)] : view.stateLine.subs)),
    view.unavailable && h("p", { class: "empty" }, phrase(view.unavailable, t)),
    view.paired ? pairedPart(view, { t, lang, nowMs, c, button, busy }) : null,
    view.stateLine && !view.paired ? unpairedPart(view, { t, c, button, busy }) : null);
  live.textContent = phrase(view.note, t);

  const focusKey = c.takeFocus() ?? kept;
  if (focusKey) root.querySelector(`[data-focus="${focusKey}"]`)?.focus();
}

function pairedPart(view, { t, lang, nowMs, c, button, busy }) {
  const transport = view.transport && h("p", { class: "sync-transport" },
    t(view.transport.kind === "hub" ? "popup_sync_through_hub" : "popup_sync_through_folder", [view.transport.where]));
  const name = view.fields.name ?? view.thisDevice?.name ?? "";
  const nameForm = h("form", {
    class: "sync-name", novalidate: true,
    onsubmit: (event) => { event.preventDefault(); if (!busy) c.rename(); },
  },
  h("label", { for: "sync-name" }, t("popup_sync_this_device")),
  h("span", { class: "inline" },
    h("input", {
      id: "sync-name", name: "name", type: "text", "data-field": "name", "data-focus": "name",
      maxlength: String(MAX_NAME), autocomplete: "off", value: name,
      ...fieldErrorAttributes(view, "name"),
      oninput: (event) => c.input("name", event.target.value),
    }),
    h("button", { type: "submit", class: "secondary", "data-sync-action": "rename", "aria-disabled": busy ? "true" : false },
      t("popup_sync_rename"))),
  fieldError(view, "name", t));
  const others = view.devices.length
    ? h("ul", { class: "sync-devices" }, view.devices.map((device) => h("li", { "data-device": device.id },
      h("span", { class: "label" }, device.name),
      h("span", { class: "value muted" }, device.lastEventAt
        ? t("popup_sync_last_seen", [formatSeen(device.lastEventAt, lang, nowMs)])
        : t("popup_sync_never_seen")))))
    : h("p", { class: "muted small" }, t("popup_sync_no_devices"));
  return [
    transport,
    nameForm,
    h("h3", {}, t("popup_sync_other_devices")),
    others,
    h("div", { class: "actions" },
      button("sync-now", t("popup_sync_now"), () => c.syncNow(), "primary"), " ",
      view.pairing ? null : button("show-code", t("popup_sync_show_code"), () => c.showCode()), " ",
      view.step === STEP.LEAVE ? null : button("leave", t("popup_sync_leave"), () => c.askLeave())),
    view.pairing && pairingPart(view.pairing, { t, c, button }),
    view.step === STEP.LEAVE && leaveQuestion({ t, c, busy }),
  ];
}

function unpairedPart(view, { t, c, button, busy }) {
  const intro = h("p", { class: "small" }, t("popup_sync_intro"));
  if (view.step === STEP.PAIR) return [intro, pairForm(view, { t, c, button, busy })];
  if (view.step === STEP.JOIN) return [intro, joinForm(view, { t, c, button, busy })];
  return [intro, h("div", { class: "actions" },
    button("pair", t("popup_sync_pair"), () => c.startPair(), "primary"), " ",
    button("join", t("popup_sync_join"), () => c.startJoin()))];
}

function pairForm(view, { t, c, button, busy }) {
  const radio = (kind) => h("label", { class: "check" },
    h("input", {
      type: "radio", name: "sync-transport", value: kind, "data-focus": `transport-${kind}`,
      checked: view.pairWith === kind, onchange: () => c.choose(kind),
    }), " ", t(WITH_KEYS[kind]));
  const field = view.pairWith === "hub"
    ? textField(view, "hub_url", { t, label: "popup_sync_hub_url", type: "url", placeholder: "wss://hub.example.org:8765", c })
    : textField(view, "folder", { t, label: "popup_sync_folder", hint: "popup_sync_folder_hint", c });
  return h("form", {
    class: "sync-pair", novalidate: true,
    onsubmit: (event) => { event.preventDefault(); if (!busy) c.submitPair(); },
  },
  h("fieldset", {}, h("legend", {}, t("popup_sync_pair_how")), radio("hub"), radio("folder")),
  field,
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "primary", "data-sync-action": "pair-submit", "data-focus": "pair-submit", "aria-disabled": busy ? "true" : false },
      t("popup_sync_pair_submit")), " ",
    button("cancel", t("confirm_cancel"), () => c.cancel())));
}

function joinForm(view, { t, c, button, busy }) {
  return h("form", {
    class: "sync-join", novalidate: true,
    onsubmit: (event) => { event.preventDefault(); if (!busy) c.submitJoin(); },
  },
  textField(view, "code", { t, label: "popup_sync_code", hint: "popup_sync_code_hint", c, spellcheck: "false" }),
  h("label", { class: "check" },
    h("input", {
      type: "checkbox", "data-field": "join_folder", "data-focus": "join-folder", checked: view.joinFolder,
      onchange: (event) => c.setJoinFolder(event.target.checked),
    }), " ", t("popup_sync_join_folder")),
  view.joinFolder && textField(view, "folder", { t, label: "popup_sync_folder", hint: "popup_sync_folder_hint", c }),
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "primary", "data-sync-action": "join-submit", "data-focus": "join-submit", "aria-disabled": busy ? "true" : false },
      t("popup_sync_join_submit")), " ",
    button("cancel", t("confirm_cancel"), () => c.cancel())));
}

/** A labelled text input for `field`, its hint and its error, tied by aria-describedby. */
function textField(view, field, { t, label, hint, type = "text", placeholder, spellcheck, c }) {
  const id = `sync-${field.replace("_", "-")}`;
  return h("div", { class: "field" },
    h("label", { for: id }, t(label)),
    h("input", {
      id, name: field, type, "data-field": field, "data-focus": field, autocomplete: "off",
      value: view.fields[field] ?? "", placeholder, spellcheck,
      ...fieldErrorAttributes(view, field, hint && `${id}-hint`),
      oninput: (event) => c.input(field, event.target.value),
    }),
    hint && h("p", { id: `${id}-hint`, class: "small muted" }, t(hint)),
    fieldError(view, field, t));
}

function fieldErrorAttributes(view, field, hintId = null) {
  const wrong = Boolean(view.errors[field]);
  const described = [hintId, wrong && `sync-${field}-error`].filter(Boolean).join(" ");
  return { "aria-invalid": wrong ? "true" : "false", "aria-describedby": described || false };
}

function fieldError(view, field, t) {
  const error = view.errors[field];
  return error ? h("p", { id: `sync-${field}-error`, class: "error", "data-error-for": field }, phrase(error, t)) : null;
}

function pairingPart(pairing, { t, c, button }) {
  return h("section", { class: "pairing", "aria-labelledby": "pairing-title" },
    h("h3", { id: "pairing-title" }, t("popup_sync_code_title")),
    h("p", { class: "small" }, t("popup_sync_code_how")),
    h("div", { class: "command" },
      h("code", { id: "pairing-code", class: "pairing-code", tabindex: "0", "data-focus": "pairing-code" }, pairing.code),
      h("button", { type: "button", class: "copy", "data-copy": "pairing-code" }, t("popup_copy"))),
    pairing.qrSrc && h("img", { class: "pairing-qr", src: pairing.qrSrc, alt: t("popup_sync_qr_alt"), width: "180", height: "180" }),
    h("p", { class: "small muted" }, t("popup_sync_code_private")),
    button("hide-code", t("popup_sync_hide_code"), () => c.hideCode()));
}

function leaveQuestion({ t, c, busy }) {
  const box = confirmation("sync_leave", {
    t,
    onYes: () => { if (!busy) c.confirmLeave(); },
    onNo: () => c.cancel(),
    noClass: "secondary",
  });
  box.querySelector("[data-confirm='no']").setAttribute("data-focus", "leave-no");
  box.querySelector("[data-confirm='yes']").setAttribute("data-focus", "leave-yes");
  return box;
}
