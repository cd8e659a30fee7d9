/**
 * The self-check in the popup: when a site rule has missed a few Genspark loads in a
 * row (shared/self-check.js), a notice says in plain words what Credit Guard can no
 * longer read, what still works and how to report it, and the balance figures are
 * marked as possibly out of date. "Copy a report" puts the self-check's results and
 * the shapes of the unmatched answers on the clipboard (no values).
 *
 * DOM hooks for tests: #self-check (the notice), li[data-check] per broken check,
 * .rules (the site rules it names), [data-self-check-copy] buttons, #status-body[data-stale].
 */

import { h, fill } from "../shared/dom.js";
import { KIND } from "../shared/messages.js";
import { checkStates, selfCheckReport } from "../shared/self-check.js";
import { loadRules } from "../site/rules.js";
import { send } from "./rpc.js";

/** What a broken check means for the user, one sentence each. */
const BROKEN_KEYS = {
  account: "popup_selfcheck_broken_account",
  balance: "popup_selfcheck_broken_balance",
  ask: "popup_selfcheck_broken_ask",
  limit_texts: "popup_selfcheck_broken_limit_texts",
  prompt_box: "popup_selfcheck_broken_prompt_box",
  send_button: "popup_selfcheck_broken_send_button",
};
/** A check that still works, as an item of "Still working: …". */
const WORKING_KEYS = {
  account: "popup_selfcheck_works_account",
  balance: "popup_selfcheck_works_balance",
  ask: "popup_selfcheck_works_ask",
  limit_texts: "popup_selfcheck_works_limit_texts",
  prompt_box: "popup_selfcheck_works_prompt_box",
  send_button: "popup_selfcheck_works_send_button",
};
/** Broken checks after which the balance figures are no longer fresh. */
const STALE_WHEN = new Set(["account", "balance"]);

/**
 * What the popup shows for the kept loads (oldest first), with no DOM and no language.
 * @returns {{broken: Array<{id: string, rules: string[]}>, working: string[], stale: boolean}}
 */
export function selfCheckView(loads = []) {
  const states = checkStates(loads);
  const broken = states.filter(({ state }) => state === "broken").map(({ id, rules }) => ({ id, rules }));
  return {
    broken,
    working: states.filter(({ state }) => state === "ok").map(({ id }) => id),
    stale: broken.some(({ id }) => STALE_WHEN.has(id)),
  };
}

/** A list of short phrases in the language's way ("a, b" / "a、b"). */
function listOf(items, lang) {
  return items.join(lang === "ja" ? "、" : ", ");
}

/**
 * Shows the notice (hidden when nothing is broken) and marks the figures stale.
 * @param {Document} doc
 * @param {ReturnType<typeof selfCheckView>} view
 */
export function renderSelfCheck(doc, view, { t, lang }) {
  const notice = doc.querySelector("#self-check");
  notice.hidden = view.broken.length === 0;
  fill(doc.querySelector("#self-check-broken"), view.broken.map(({ id, rules }) => h(
    "li", { "data-check": id },
    t(BROKEN_KEYS[id]), " ",
    h("span", { class: "rules" }, t("popup_selfcheck_rules", [rules.join(", ")])),
  )));
  const working = [...view.working.map((id) => t(WORKING_KEYS[id])), t("popup_selfcheck_works_popup")];
  doc.querySelector("#self-check-works").textContent = t("popup_selfcheck_still_works", [listOf(working, lang)]);
  const body = doc.querySelector("#status-body");
  if (view.stale) body.dataset.stale = "true";
  else delete body.dataset.stale;
  doc.querySelector("#stale-note").hidden = !view.stale;
}

/** The report as text for the clipboard. */
export function reportText(loads, about) {
  return `${JSON.stringify(selfCheckReport(loads, about), null, 2)}\n`;
}

/** The kept loads from the background ([] when it cannot be asked). */
export async function fetchLoads() {
  const reply = await send(KIND.SELF_CHECK_GET);
  return reply.ok && Array.isArray(reply.loads) ? reply.loads : [];
}

/**
 * Wires every [data-self-check-copy] button. `current()` gives the loads last fetched and
 * the translator: the clipboard is written without waiting, while the click still counts
 * as the user's.
 */
export function wireSelfCheckCopy(doc, current) {
  const about = { extensionVersion: globalThis.chrome?.runtime?.getManifest?.().version ?? "", rulesVersion: null, rulesChecked: null };
  loadRules().then((rules) => {
    about.rulesVersion = rules.version;
    about.rulesChecked = rules.checked;
  }, () => {});
  for (const button of doc.querySelectorAll("[data-self-check-copy]")) {
    button.addEventListener("click", async () => {
      const { loads, t } = current();
      const copied = await navigator.clipboard?.writeText(reportText(loads, about)).then(() => true, () => false);
      button.textContent = t(copied ? "popup_selfcheck_copied" : "popup_copy_failed");
      setTimeout(() => { button.textContent = t("popup_selfcheck_copy"); }, 2000);
    });
  }
}
