/**
 * guard-dialog: the question submit-guard asks before a heavy operation, from the
 * helper's preflight answer: estimated cost (learned or default), what is left across
 * devices, when credits reset, whether they last until then at this period's pace,
 * reasons, tips and alternatives. An accessible modal in a shadow root: role="dialog",
 * aria-modal, labelled and described, focus kept inside, Escape cancels. On `stop`
 * "Cancel" has the focus and "Go on anyway" is still offered.
 *
 * Not a registered feature: submit-guard opens it. DOM hooks for tests: host
 * #credit-guard-dialog[data-level], buttons [data-action="go"] and [data-action="cancel"].
 */
import { formatCredits, formatReset } from "../../shared/format.js";
import { h } from "../../shared/dom.js";
import { paceText } from "../../shared/pace.js";
import { mountShadowHost, safeHttpsUrl } from "../dom.js";

export const DIALOG_ID = "credit-guard-dialog";

const STYLE = `
:host { all: initial; position: fixed; inset: 0; z-index: 2147483647; }
.backdrop { position: absolute; inset: 0; display: grid; place-items: center;
  background: rgb(0 0 0 / 0.45); font: 14px/1.5 system-ui, sans-serif; }
.dialog { box-sizing: border-box; width: min(440px, calc(100vw - 32px)); max-height: calc(100vh - 32px);
  overflow: auto; padding: 20px 22px; border-radius: 12px; background: #fff; color: #1c1c1e;
  box-shadow: 0 12px 40px rgb(0 0 0 / 0.3); border-top: 4px solid #e0a100; }
.dialog[data-level="stop"] { border-top-color: #d93025; }
h2 { margin: 0 0 8px; font-size: 17px; }
h3 { margin: 12px 0 4px; font-size: 13px; }
p, ul { margin: 0 0 8px; }
ul { padding-left: 20px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 8px 0; }
dt { color: #5f6368; }
dd { margin: 0; font-variant-numeric: tabular-nums; }
a { color: #1a63d6; }
.buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
button { font: inherit; padding: 6px 16px; border-radius: 8px; border: 1px solid #c4c7cc;
  background: #fff; color: inherit; cursor: pointer; }
button[data-action="go"] { background: #1a63d6; border-color: #1a63d6; color: #fff; }
.dialog[data-level="stop"] button[data-action="go"] { background: #fff; color: #d93025; border-color: #d93025; }
button:focus-visible, a:focus-visible { outline: 3px solid #8ab4f8; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  .dialog { background: #26272b; color: #e8eaed; }
  dt { color: #9aa0a6; }
  a { color: #8ab4f8; }
  button { background: #26272b; border-color: #5f6368; }
  .dialog[data-level="stop"] button[data-action="go"] { background: #26272b; }
}
`;

/** The cost line: "about 40 credits (default estimate …)". */
function estimateText(answer, { lang, t }) {
  const source = t(`dialog_source_${answer.estimate_source}`);
  const cost = t("dialog_credits", [formatCredits(answer.estimated_cost, lang)]);
  return source && source !== `dialog_source_${answer.estimate_source}` ? `${cost} (${source})` : cost;
}

function listSection(title, items) {
  return items.length ? [title && h("h3", {}, title), h("ul", {}, items.map((item) => h("li", {}, item)))] : [];
}

/**
 * Shows the dialog for a `warn` or `stop` preflight answer; resolves true for "go on",
 * false for cancel (button, Escape, or `signal` aborted).
 */
export function showGuardDialog(answer, { words, signal }) {
  const { lang, t } = words;
  const nowMs = Date.now();
  const pace = paceText(answer.pace, { t, lang, nowMs });
  const stop = answer.level === "stop";
  const { host, root } = mountShadowHost(DIALOG_ID, STYLE);
  host.dataset.level = stop ? "stop" : "warn";
  const returnFocus = document.activeElement;

  const alternatives = (answer.alternatives ?? [])
    .map(({ name, url }) => ({ name, url: safeHttpsUrl(url) }))
    .filter(({ name, url }) => name && url)
    .map(({ name, url }) => h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, name));
  const cancel = h("button", { type: "button", "data-action": "cancel" }, t("dialog_cancel"));
  const go = h("button", { type: "button", "data-action": "go" }, t(stop ? "dialog_go_anyway" : "dialog_go"));
  const dialog = h(
    "div",
    { role: "dialog", "aria-modal": "true", "aria-labelledby": "cg-title", "aria-describedby": "cg-message", class: "dialog", "data-level": host.dataset.level },
    h("h2", { id: "cg-title" }, t(stop ? "dialog_title_stop" : "dialog_title_warn")),
    h("p", { id: "cg-message" }, answer.message || t("dialog_message_fallback")),
    h(
      "dl", {},
      h("dt", {}, t("dialog_estimate_label")), h("dd", {}, estimateText(answer, words)),
      h("dt", {}, t("dialog_remaining_label")), h("dd", {}, t("dialog_credits", [formatCredits(answer.remaining, lang)])),
      h("dt", {}, t("dialog_reset_label")), h("dd", {}, formatReset(answer.reset_at, nowMs, lang)),
      pace ? [h("dt", {}, t("dialog_pace_label")), h("dd", { "data-fact": "pace" }, pace)] : null,
    ),
    listSection(null, (answer.reasons ?? []).map(({ text }) => text).filter(Boolean)),
    listSection(t("dialog_tips"), (answer.tips ?? []).map(({ text }) => text).filter(Boolean)),
    listSection(t("dialog_alternatives"), alternatives),
    h("div", { class: "buttons" }, cancel, go),
  );
  root.append(h("div", { class: "backdrop" }, dialog));

  return new Promise((resolve) => {
    const close = (result) => {
      host.remove();
      if (returnFocus?.isConnected) returnFocus.focus();
      resolve(result);
    };
    go.addEventListener("click", () => close(true));
    cancel.addEventListener("click", () => close(false));
    signal?.addEventListener("abort", () => close(false), { once: true });
    root.addEventListener("keydown", (event) => {
      event.stopPropagation(); // the site's shortcuts stay out of the dialog
      if (event.key === "Escape") {
        event.preventDefault();
        close(false);
      } else if (event.key === "Tab") {
        trapFocus(event, root, dialog);
      }
    });
    (stop ? cancel : go).focus();
  });
}

/** Keeps Tab and Shift+Tab cycling through the dialog's own controls. */
function trapFocus(event, root, dialog) {
  const focusable = [...dialog.querySelectorAll("a[href], button")];
  const index = focusable.indexOf(root.activeElement);
  const next = event.shiftKey
    ? (index <= 0 ? focusable.length - 1 : index - 1)
    : (index === focusable.length - 1 ? 0 : index + 1);
  event.preventDefault();
  focusable[next]?.focus();
}
