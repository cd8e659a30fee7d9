/**
 * trouble-watch: notices when Genspark misbehaves and says what to try. It collects the
 * signals the helper's `diagnose` reads (HTTP statuses of /api calls, the site's own
 * status codes, the kinds of the limit and error texts in answers and on the page as the
 * site rules classify them (the helper knows no site text), requests in the last minute,
 * the last good balance, the server's clock); when a limit, overload or challenge
 * text or a burst of errors shows up, it asks the helper and shows a small dismissible
 * panel with the steps in order, the ones the extension can do as buttons (one that
 * signs the user out asks first, in the panel).
 *
 * DOM hooks for tests: host #credit-guard-panel, steps li[data-step], step buttons
 * [data-step-action] (the step id) with [data-tab-action] (the action), the question
 * .confirm with [data-confirm="yes"|"no"], [data-action="dismiss"], the note .note.
 */
import { confirmation } from "../../shared/confirm.js";
import { h } from "../../shared/dom.js";
import { CONFIRM_FIRST, KIND, TAB_ACTION, stepActions } from "../../shared/messages.js";
import { isoMillis } from "../../shared/protocol.js";
import { mountShadowHost } from "../dom.js";
import { register } from "../registry.js";

export const PANEL_ID = "credit-guard-panel";

const MINUTE_MS = 60_000;
const KEEP_MS = 5 * MINUTE_MS; // signals older than this are forgotten
const ERROR_BURST = 3; // HTTP errors within a minute that count as trouble
const SETTLE_MS = 1_500; // gather what else shows up before asking
const QUIET_AFTER_SHOW_MS = MINUTE_MS;
const QUIET_AFTER_DISMISS_MS = 10 * MINUTE_MS;
const DOM_SCAN_MS = 1_000;
const MAX_RESET_AHEAD_MS = 24 * 60 * MINUTE_MS; // a window reset further ahead is no reset time
const MAX_ELEMENT_CHILDREN = 20; // bigger subtrees are content, not an error notice
/** Text kinds that mean trouble (signed-out alone is not: the user may just be signed out). */
const TROUBLE_KINDS = new Set([
  "exhausted", "rate_limit_cf1", "rate_limit_cf2", "too_quickly", "overloaded", "unavailable", "challenge", "window_limit",
]);
/** Where added text is not a notice from the site: code, typing, our own UI. */
const IGNORED_ELEMENTS = `script, style, noscript, template, textarea, input, [contenteditable]:not([contenteditable="false"]), #${PANEL_ID}, #credit-guard-dialog`;

/**
 * The signals, without the browser. The note* methods return a trouble reason (a text
 * kind, "rate_limited" or "errors") when what they saw should trigger a diagnosis.
 */
export function createTroubleSignals(rules) {
  const requests = []; // {at}
  const errors = []; // {status, at}
  const siteStatuses = []; // {status, at}
  const kinds = new Set(); // text kinds seen, in the order first seen
  let windowResetMs = null; // the reset a window-limit text named (epoch ms)
  let exhausted = false;
  let serverDate = null;
  const recent = (list, now, span = KEEP_MS) => {
    while (list.length && now - list[0].at > span) list.shift();
    return list;
  };

  return {
    noteRequest(at) {
      requests.push({ at });
      recent(requests, at, MINUTE_MS);
      return null;
    },
    noteResponse(status, dateHeader, at) {
      const date = Date.parse(dateHeader ?? "");
      if (!Number.isNaN(date)) serverDate = isoMillis(date);
      if (!(status >= 400 && status <= 599)) return null;
      errors.push({ status, at });
      if (status === 429) return "rate_limited";
      return recent(errors, at, MINUTE_MS).length >= ERROR_BURST ? "errors" : null;
    },
    noteSiteStatus(status, at) {
      if (Number.isInteger(status) && status !== 0 && Math.abs(status) <= 1000) siteStatuses.push({ status, at });
      return null;
    },
    noteText(text) {
      const found = rules.classifyText(text);
      if (!found) return null;
      kinds.add(found.kind);
      if (found.kind === "window_limit" && found.resetEpoch) windowResetMs = found.resetEpoch * 1000;
      if (found.kind === "exhausted") exhausted = true;
      return TROUBLE_KINDS.has(found.kind) ? found.kind : null;
    },
    noteExhausted() {
      exhausted = true;
      return "exhausted";
    },
    /** The `diagnose` signals now; `lastBalance` is {balance, at} or null. */
    snapshot(now, lastBalance) {
      const signals = {
        http_status: [...new Set(recent(errors, now).map(({ status }) => status))],
        site_status: [...new Set(recent(siteStatuses, now).map(({ status }) => status))],
        text_kinds: [...kinds],
        exhausted_text_seen: exhausted,
        requests_last_minute: recent(requests, now, MINUTE_MS).length,
      };
      if (windowResetMs > now && windowResetMs - now <= MAX_RESET_AHEAD_MS) {
        signals.window_reset_at = isoMillis(windowResetMs);
      }
      if (lastBalance) {
        signals.page_balance = lastBalance.balance;
        signals.last_good_balance_at = isoMillis(lastBalance.at);
      }
      if (serverDate) signals.server_date = serverDate;
      return signals;
    },
  };
}

/** Text worth classifying from an added node, or null (our UI, typing, big content). */
function noticeText(node) {
  if (node.nodeType !== Node.TEXT_NODE && node.nodeType !== Node.ELEMENT_NODE) return null;
  const parent = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (!parent || parent.closest(IGNORED_ELEMENTS)) return null;
  if (node.nodeType === Node.ELEMENT_NODE && node.childElementCount > MAX_ELEMENT_CHILDREN) return null;
  const text = node.textContent?.trim();
  return text || null;
}

register({
  id: "trouble-watch",
  include: () => true,
  init(signal, context) {
    const { rules } = context;
    const trouble = createTroubleSignals(rules);
    let quietUntil = 0;
    let settle = null;

    const diagnose = async () => {
      settle = null;
      const account = context.account;
      if (!account || signal.aborted) return;
      const words = await context.words();
      const signals = trouble.snapshot(Date.now(), context.lastBalance);
      const answer = await context.send({ kind: KIND.DIAGNOSE, account, signals, language: words.lang });
      if (!answer?.ok || !answer.steps?.length || signal.aborted || isChallengePage(rules)) return;
      quietUntil = Date.now() + QUIET_AFTER_SHOW_MS;
      showPanel(answer.steps, words, context, {
        signal,
        onDismiss: () => { quietUntil = Date.now() + QUIET_AFTER_DISMISS_MS; },
      });
    };
    const consider = (reason) => {
      if (!reason || settle || Date.now() < quietUntil) return;
      settle = setTimeout(diagnose, SETTLE_MS);
    };
    const noteTexts = (list) => list.forEach((text) => consider(trouble.noteText(text)));

    context.on("request", ({ at }) => trouble.noteRequest(at ?? Date.now()), signal);
    context.on("response", ({ status, headers }) => consider(trouble.noteResponse(status, headers.date, Date.now())), signal);
    context.on("json", ({ json }) => {
      if (!json || typeof json !== "object") return;
      trouble.noteSiteStatus(rules.siteStatus(json), Date.now());
      noteTexts(rules.responseTexts(json));
    }, signal);
    context.on("stream-event", ({ event }) => {
      noteTexts(rules.streamTexts(event));
      if (rules.streamSaysExhausted(event)) consider(trouble.noteExhausted());
    }, signal);
    context.on("stream-end", ({ text }) => text && noteTexts([text]), signal);

    // The page's own notices: short texts added to the document, looked at once a second.
    const added = [];
    let scan = null;
    const observer = new MutationObserver((records) => {
      for (const record of records) added.push(...record.addedNodes);
      scan ??= setTimeout(() => {
        scan = null;
        const nodes = added.splice(0);
        noteTexts(nodes.map(noticeText).filter((text) => text && text.length <= rules.maxDomTextChars));
      }, DOM_SCAN_MS);
    });
    observer.observe(document.documentElement ?? document, { childList: true, subtree: true });
    noteTexts([document.title]);
    signal.addEventListener("abort", () => {
      observer.disconnect();
      clearTimeout(scan);
      clearTimeout(settle);
      document.getElementById(PANEL_ID)?.remove();
    });
  },
});

/** On a Cloudflare check page the extension adds nothing to the page. */
export function isChallengePage(rules) {
  return Boolean(document.querySelector(rules.selector("challenge_page")))
    || rules.classifyText(document.title)?.kind === "challenge";
}

const STYLE = `
:host { all: initial; position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; }
.panel { display: block; box-sizing: border-box;
  width: min(380px, calc(100vw - 32px)); max-height: min(70vh, 560px); overflow: auto;
  padding: 14px 16px; border-radius: 12px; background: #fff; color: #1c1c1e;
  box-shadow: 0 8px 28px rgb(0 0 0 / 0.25); border-left: 4px solid #e0a100;
  font: 13px/1.5 system-ui, sans-serif; }
header { display: flex; align-items: start; gap: 8px; }
h2 { flex: 1; margin: 0 0 6px; font-size: 15px; }
ol { margin: 6px 0 0; padding-left: 20px; }
li { margin-bottom: 8px; }
.why { color: #5f6368; }
button { font: inherit; margin-top: 4px; padding: 3px 10px; border-radius: 6px; border: 1px solid #1a63d6;
  background: #fff; color: #1a63d6; cursor: pointer; }
button[data-action="dismiss"] { border: none; padding: 0 4px; font-size: 18px; line-height: 1; color: inherit; }
button:focus-visible { outline: 3px solid #8ab4f8; outline-offset: 2px; }
.note { margin: 8px 0 0; font-weight: 600; }
.confirm { margin: 6px 0 0; padding: 8px; border-radius: 8px; background: #fff4d6; }
.confirm p { margin: 0 0 6px; }
button.danger { background: #b42318; color: #fff; border-color: #b42318; }
.note:empty { display: none; }
@media (prefers-color-scheme: dark) {
  .panel { background: #26272b; color: #e8eaed; }
  .why { color: #9aa0a6; }
  .confirm { background: #3a2f12; }
  button { background: #26272b; color: #8ab4f8; border-color: #8ab4f8; }
}
`;

/** What the panel says once an action is done (the others speak for themselves). */
const DONE_NOTES = Object.freeze({
  [TAB_ACTION.CLEAR_CACHE]: "panel_cache_cleared",
  [TAB_ACTION.CLEAR_SITE_DATA]: "panel_cleared",
});

/** The panel: ordered steps, each with why and how, and a button when we can do it. */
function showPanel(steps, { t }, context, { signal, onDismiss }) {
  const { host, root } = mountShadowHost(PANEL_ID, STYLE);
  const note = h("p", { class: "note", role: "status" });
  const close = () => host.remove();

  const act = async (action) => {
    note.textContent = "";
    const answer = await context.send({ kind: KIND.TAB_ACTION, action });
    if (answer?.ok) {
      if (DONE_NOTES[action]) note.textContent = t(DONE_NOTES[action]);
    } else if (answer?.error?.code === "permission_denied") {
      note.textContent = t("panel_clear_needs_popup", [t(`tab_action_${action}`)]);
    } else {
      note.textContent = t("panel_action_failed", [answer?.error?.message ?? ""]);
    }
  };
  /** Asks in the panel before an action that signs the user out; only "yes" runs it. */
  const askFirst = (item, action) => {
    const open = item.querySelector(".confirm");
    if (open) return open.querySelector("[data-confirm='no']").focus();
    note.textContent = "";
    const box = confirmation(action, {
      t,
      onYes: () => act(action),
      onNo: () => { note.textContent = t("confirm_cancelled"); },
    });
    item.append(box);
    box.querySelector("[data-confirm='no']").focus();
  };

  const items = steps.map(({ id, why, how }) => {
    const item = h(
      "li", { "data-step": id },
      h("strong", {}, t(`diag_step_${id}`) === `diag_step_${id}` ? id : t(`diag_step_${id}`)),
      why && h("div", { class: "why" }, why),
      how && h("div", {}, how),
    );
    const actions = stepActions(id, globalThis.chrome?.runtime?.getURL?.(""));
    item.append(...actions.flatMap((action) => [h("button", {
      type: "button",
      "data-step-action": id,
      "data-tab-action": action,
      onclick: () => (CONFIRM_FIRST.includes(action) ? askFirst(item, action) : act(action)),
    }, t(`tab_action_${action}`)), " "]));
    return item;
  });
  root.append(h(
    "section", { class: "panel", role: "region", "aria-labelledby": "cg-panel-title" },
    h(
      "header", {},
      h("h2", { id: "cg-panel-title" }, t("panel_title")),
      h("button", { type: "button", "data-action": "dismiss", "aria-label": t("panel_dismiss"), title: t("panel_dismiss"), onclick: () => { close(); onDismiss(); } }, "×"),
    ),
    h("p", {}, t("panel_intro")),
    h("ol", {}, items),
    note,
  ));
  signal.addEventListener("abort", close, { once: true });
}

/* Test URLs: https://www.genspark.ai/agents?type=ai_chat https://www.genspark.ai/agents?type=image_generation_agent */
