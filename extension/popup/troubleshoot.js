/**
 * "Something's wrong?": asks the helper to diagnose and lists its steps, cheapest first,
 * each with why and how; the steps the extension can do itself get buttons (lightest
 * first; one that signs the user out asks first). Without the helper the same buttons
 * are offered for the helper's default steps, so the user still has something to try.
 */

import { confirmation } from "../shared/confirm.js";
import { h, fill } from "../shared/dom.js";
import { send } from "./rpc.js";
import {
  KIND, EXTENSION_ERROR, CONFIRM_FIRST, NEEDS_BROWSING_DATA, stepActions,
} from "../shared/messages.js";

/** The helper's default steps, in its order, for when it cannot be asked. */
export const FALLBACK_STEP_IDS = ["reload", "check_status", "clear_cache", "relogin", "restart_app"];

/**
 * The `diagnose` runtime message: the signals the page last showed, or none.
 * `language` is the helper's own optional field, so why/how come in the popup's language.
 */
export function diagnoseRequest(account, signals, language) {
  return { account, signals: signals ?? {}, language };
}

/**
 * Steps to show: the helper's, or the fallback ones (texts from the popup's catalog)
 * when it gave none; each with the actions its buttons run in this browser
 * (`extensionUrl`: chrome.runtime.getURL("")), lightest first.
 * @returns {{fromHelper: boolean, steps: Array<{id: string, why: string, how: string, actions: string[]}>}}
 */
export function stepsView(reply, t, extensionUrl = "") {
  const fromHelper = Boolean(reply?.ok && Array.isArray(reply.steps));
  const steps = fromHelper
    ? reply.steps
    : FALLBACK_STEP_IDS.map((id) => ({ id, why: "", how: t(`popup_step_${id}`) }));
  return {
    fromHelper,
    steps: steps.map(({ id, why = "", how = "" }) => ({ id, why, how, actions: stepActions(id, extensionUrl) })),
  };
}

/**
 * Runs a tab action. Must be called straight from the click handler: clearing the cache
 * or site data first asks for the optional `browsingData` permission, which browsers
 * grant only during a user gesture, so nothing may be awaited before that request.
 */
export function runTabAction(action) {
  if (!NEEDS_BROWSING_DATA.includes(action)) return send(KIND.TAB_ACTION, { action });
  const denied = { ok: false, error: { code: EXTENSION_ERROR.PERMISSION_DENIED } };
  if (!globalThis.chrome?.permissions?.request) return Promise.resolve(denied);
  return chrome.permissions.request({ permissions: ["browsingData"] })
    .catch(() => false)
    .then((granted) => (granted ? send(KIND.TAB_ACTION, { action }) : denied));
}

/**
 * Lists the steps in #steps.
 * @param {HTMLOListElement} list
 * @param {ReturnType<typeof stepsView>} view
 */
export function renderSteps(list, view, { t }) {
  fill(list, view.steps.map((step) => {
    const result = h("span", { class: "action-result", role: "status" });
    const run = (action) => {
      result.textContent = "";
      runTabAction(action).then((reply) => {
        result.textContent = reply?.ok ? t("popup_action_done")
          : t(reply?.error?.code === EXTENSION_ERROR.PERMISSION_DENIED ? "popup_action_denied" : "popup_action_failed");
      });
    };
    const buttons = step.actions.map((action) => h("button", {
      type: "button",
      class: "secondary",
      "data-action": action,
      onclick: CONFIRM_FIRST.includes(action)
        ? () => askFirst(result, action, { t, onConfirm: () => run(action) })
        : () => run(action),
    }, t(`tab_action_${action}`)));
    return h("li", { class: "step", "data-step": step.id },
      h("p", { class: "step-title" }, t(`popup_step_title_${step.id}`)),
      step.why && h("p", { class: "why" }, step.why),
      h("p", { class: "how" }, step.how),
      buttons.length > 0 && h("p", { class: "step-action" }, ...buttons.flatMap((b) => [b, " "]), result));
  }));
}

/**
 * Shows the question (shared/confirm.js) under the step's buttons, once; "yes" runs
 * `onConfirm` from its own click, as a permission request needs.
 */
function askFirst(result, action, { t, onConfirm }) {
  const row = result.parentElement;
  const open = row.parentElement.querySelector(".confirm");
  if (open) {
    open.querySelector("[data-confirm='no']").focus();
    return;
  }
  const box = confirmation(action, {
    t,
    onYes: onConfirm,
    onNo: () => { result.textContent = t("confirm_cancelled"); },
    noClass: "secondary",
  });
  result.textContent = "";
  row.after(box);
  box.querySelector("[data-confirm='no']").focus();
}
