/**
 * The question asked before a tab action that signs the user out (messages.js
 * CONFIRM_FIRST), the same in the popup and in the page's trouble panel: what it does,
 * a button to go ahead and one to cancel. Only "yes" runs the action; the click on it is
 * the user gesture a permission request needs.
 *
 * DOM hooks: .confirm (role alertdialog), [data-confirm="yes"|"no"].
 */
import { h } from "./dom.js";

/**
 * The question as an element; either answer removes it, then calls `onYes` or `onNo`.
 * @param {string} action a CONFIRM_FIRST tab action (its texts are `confirm_<action>_…`)
 * @param {{t: Function, onYes: Function, onNo: Function, yesClass?: string, noClass?: string}} options
 */
export function confirmation(action, { t, onYes, onNo, yesClass = "danger", noClass = "" }) {
  const answer = (then) => () => {
    box.remove();
    then();
  };
  const box = h("div", { class: "confirm", role: "alertdialog", "aria-label": t(`confirm_${action}_title`) },
    h("p", { class: "confirm-text" }, t(`confirm_${action}_text`)),
    h("button", { type: "button", class: yesClass, "data-confirm": "yes", onclick: answer(onYes) }, t(`confirm_${action}_yes`)),
    " ",
    h("button", { type: "button", class: noClass || false, "data-confirm": "no", onclick: answer(onNo) }, t("confirm_cancel")));
  return box;
}
