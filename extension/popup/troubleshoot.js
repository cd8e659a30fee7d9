/**
 * "Something's wrong?": asks the helper to diagnose and lists its steps, cheapest first,
 * each with why and how; the steps the extension can do itself get a button. Without
 * the helper the same buttons are offered for the helper's default steps, so the user
 * still has something to try.
 */

import { h, fill } from "../shared/dom.js";
import { send } from "./rpc.js";
import { KIND, TAB_ACTION, EXTENSION_ERROR, STEP_ACTIONS } from "../shared/messages.js";

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
 * when it gave none; each with the action its button runs, if any.
 * @returns {{fromHelper: boolean, steps: Array<{id: string, why: string, how: string, action: string|null}>}}
 */
export function stepsView(reply, t) {
  const fromHelper = Boolean(reply?.ok && Array.isArray(reply.steps));
  const steps = fromHelper
    ? reply.steps
    : FALLBACK_STEP_IDS.map((id) => ({ id, why: "", how: t(`popup_step_${id}`) }));
  return {
    fromHelper,
    steps: steps.map(({ id, why = "", how = "" }) => ({ id, why, how, action: STEP_ACTIONS[id] ?? null })),
  };
}

/**
 * Runs a tab action. Must be called straight from the click handler: clearing site data
 * first asks for the optional `browsingData` permission, which browsers grant only
 * during a user gesture, so nothing may be awaited before that request.
 */
export function runTabAction(action) {
  if (action !== TAB_ACTION.CLEAR_SITE_DATA) return send(KIND.TAB_ACTION, { action });
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
    const button = step.action && h("button", {
      type: "button",
      class: "secondary",
      "data-action": step.action,
      onclick: () => {
        result.textContent = "";
        runTabAction(step.action).then((reply) => {
          result.textContent = reply?.ok ? t("popup_action_done")
            : t(reply?.error?.code === EXTENSION_ERROR.PERMISSION_DENIED ? "popup_action_denied" : "popup_action_failed");
        });
      },
    }, t(`popup_action_${step.action}`));
    return h("li", { class: "step", "data-step": step.id },
      h("p", { class: "step-title" }, t(`popup_step_title_${step.id}`)),
      step.why && h("p", { class: "why" }, step.why),
      h("p", { class: "how" }, step.how),
      button && h("p", { class: "step-action" }, button, " ", result));
  }));
}
