/**
 * submit-guard: on heavy agent pages (image, video, analysis), the send click and Enter
 * in the prompt box are held in the capture phase while the helper is asked (`preflight`
 * with the prompt's length, never its text). `ok`, no answer in time or no helper → the
 * action goes on at once; `warn`/`stop` → guard-dialog; "go on" replays the user's action
 * exactly once, "cancel" sends nothing. Without an account nothing is held; whether heavy
 * operations need confirming (confirm_before_heavy) is already in the helper's level.
 */
import { KIND, PREFLIGHT_BUDGET_MS } from "../../shared/messages.js";
import { register } from "../registry.js";
import { showGuardDialog } from "./guard-dialog.js";

/** Our own wait on top of the background's budget (a sleeping service worker wakes slowly). */
const WAKE_SLACK_MS = 700;

/** Whether the preflight answer needs the user's word: "dialog", else "pass". */
export function guardDecision(answer) {
  if (!answer?.ok) return "pass"; // timeout, helper_unavailable, any error: never block the page
  return answer.level === "warn" || answer.level === "stop" ? "dialog" : "pass";
}

/**
 * Enter that sends: no Shift (a new line), no other modifier, and not while an input
 * method is composing (Japanese input confirms its conversion with Enter: keyCode 229).
 */
export function isSubmitKey(event) {
  return event.key === "Enter" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey
    && !event.isComposing && event.keyCode !== 229;
}

const closestMatch = (target, selector) => (target instanceof Element ? target.closest(selector) : null);

function replayClick(button) {
  button.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, composed: true, button: 0, detail: 1 }));
}

/** keydown, then keypress unless keydown was cancelled: what the browser itself does. */
function replayEnter(box) {
  const init = { key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true, cancelable: true, composed: true };
  if (box.dispatchEvent(new KeyboardEvent("keydown", init))) {
    box.dispatchEvent(new KeyboardEvent("keypress", { ...init, charCode: 13 }));
  }
}

register({
  id: "submit-guard",
  include: (url, { rules }) => rules.isHeavy(rules.pageOperation(url)),
  init(signal, context) {
    const { rules } = context;
    let passing = false; // our own replay is under way: let it through, once
    let holding = false; // a decision is pending: further attempts are dropped
    let language = null; // the helper's texts in the dialog's language, once known
    context.words().then((words) => { language = words.lang; }, () => {});

    const replayOnce = (replay) => {
      passing = true;
      try {
        replay();
      } finally {
        passing = false;
      }
    };

    const hold = async (event, replay) => {
      const operation = rules.pageOperation(location.href);
      const account = context.account;
      const prompt = document.querySelector(rules.selector("prompt_box"))?.value ?? "";
      if (!account || !rules.isHeavy(operation) || !prompt.trim()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (holding) return;
      holding = true;
      try {
        const request = { kind: KIND.PREFLIGHT, account, operation, prompt_chars: [...prompt].length, timeout_ms: PREFLIGHT_BUDGET_MS };
        const model = context.lastModel(operation);
        if (model) request.model = model;
        if (language) request.language = language;
        const answer = await context.send(request, { timeoutMs: PREFLIGHT_BUDGET_MS + WAKE_SLACK_MS });
        if (signal.aborted) return;
        const go = guardDecision(answer) === "pass"
          || (await showGuardDialog(answer, { words: await context.words(), signal }));
        if (go && !signal.aborted) replayOnce(replay);
      } catch (error) {
        console.error("[credit-guard] the guard failed; letting the action through", error);
        if (!signal.aborted) replayOnce(replay);
      } finally {
        holding = false;
      }
    };

    addEventListener("click", (event) => {
      if (passing || !event.isTrusted) return;
      const button = closestMatch(event.target, rules.selector("send_button"));
      if (button) hold(event, () => replayClick(button));
    }, { capture: true, signal });

    addEventListener("keydown", (event) => {
      if (passing || !event.isTrusted || !isSubmitKey(event)) return;
      const box = closestMatch(event.target, rules.selector("prompt_box"));
      if (box) hold(event, () => replayEnter(box));
    }, { capture: true, signal });
  },
});

/* Test URLs: https://www.genspark.ai/agents?type=image_generation_agent https://www.genspark.ai/agents?type=video_generation_agent */
