/**
 * The one native-messaging port to the helper (docs/PROTOCOL.md): says hello on
 * connect, matches replies to requests by id with a timeout each, forwards pushes,
 * and reconnects with exponential backoff after every disconnect. Requests never
 * reject: a failure is answered like a helper error, `{ok: false, error: {code}}`,
 * with the extension's codes `helper_unavailable` and `timeout`.
 */
import { EXTENSION_ERROR, HELPER_STATE, errorReply } from "../shared/messages.js";
import { HOST_NAME, PUSH_TALLY_CHANGED, buildRequest, isPush } from "../shared/protocol.js";

/** Disconnect messages that mean "not installed" (Chromium, then Firefox) or "not for us". */
const DISCONNECT_CAUSES = [
  { pattern: /native messaging host not found|no such native application/i, state: HELPER_STATE.MISSING },
  { pattern: /forbidden/i, state: HELPER_STATE.ERROR },
];

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 500, maxMs: 30_000 });

/**
 * @param {object} options
 * @param {(hostName: string) => object} options.connectNative  chrome.runtime.connectNative
 * @param {() => object} options.hello  the hello fields: {extension_version, browser}
 * @param {() => (object|undefined)} [options.lastError]  chrome.runtime.lastError (Chromium
 *   reports the disconnect cause there; Firefox on `port.error`)
 * @param {{setTimeout: Function, clearTimeout: Function}} [options.timers]  for tests
 */
export function createHelperPort({
  connectNative,
  hello,
  lastError = () => undefined,
  timers = globalThis,
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  backoff = DEFAULT_BACKOFF,
}) {
  let port = null;
  let failures = 0;
  const pending = new Map();
  const pushListeners = new Set();
  const stateListeners = new Set();
  let current = {
    state: HELPER_STATE.CONNECTING,
    version: null,
    device_id: null,
    last_error: null,
  };

  function setState(patch) {
    const next = { ...current, ...patch };
    if (Object.keys(next).every((key) => next[key] === current[key])) return;
    current = next;
    for (const listener of stateListeners) listener({ ...current });
  }

  function connect() {
    // A helper still missing stays "missing" while we retry, so the popup does not flicker.
    if (current.state !== HELPER_STATE.MISSING) setState({ state: HELPER_STATE.CONNECTING });
    let opened;
    try {
      opened = connectNative(HOST_NAME);
    } catch (error) {
      disconnected(null, error.message);
      return;
    }
    port = opened;
    opened.onMessage.addListener((message) => receive(message));
    opened.onDisconnect.addListener(() =>
      disconnected(opened, opened.error?.message ?? lastError()?.message),
    );
    sayHello(opened);
  }

  async function sayHello(opened) {
    const reply = await request(buildRequest("hello", hello()));
    if (port !== opened) return;
    if (reply.ok) {
      failures = 0;
      setState({
        state: HELPER_STATE.CONNECTED,
        version: reply.host_version,
        device_id: reply.device_id,
        last_error: null,
      });
    } else if (reply.error.code === EXTENSION_ERROR.TIMEOUT) {
      // A helper that does not answer hello is stuck: drop it and start a fresh one.
      opened.disconnect();
      disconnected(opened, "the helper did not answer hello");
    } else if (reply.error.code !== EXTENSION_ERROR.HELPER_UNAVAILABLE) {
      setState({ state: HELPER_STATE.ERROR, last_error: reply.error.message });
    }
  }

  function receive(message) {
    if (isPush(message)) {
      if (message.type === PUSH_TALLY_CHANGED) {
        for (const listener of pushListeners) listener(message);
      }
      return;
    }
    const waiting = pending.get(message.id);
    if (waiting) {
      settle(message.id, message);
    } else if (message.id === null) {
      console.error("Credit Guard: the helper rejected a frame", message.error);
    } // else: a late reply to a request that already timed out
  }

  function settle(id, reply) {
    const waiting = pending.get(id);
    pending.delete(id);
    timers.clearTimeout(waiting.timer);
    waiting.resolve(reply);
  }

  function disconnected(closed, message) {
    if (closed !== port && closed !== null) return;
    port = null;
    const reason = message || "the helper disconnected";
    for (const id of [...pending.keys()]) {
      settle(id, errorReply(EXTENSION_ERROR.HELPER_UNAVAILABLE, reason));
    }
    const cause = DISCONNECT_CAUSES.find(({ pattern }) => pattern.test(reason));
    setState({
      state: cause?.state ?? HELPER_STATE.ERROR,
      last_error: reason,
    });
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
    failures += 1;
    timers.setTimeout(connect, delay);
  }

  /**
   * Sends a built request (shared/protocol.js buildRequest) and resolves with the
   * helper's reply, or with `helper_unavailable` / `timeout`.
   */
  function request(message, { timeoutMs = requestTimeoutMs } = {}) {
    if (!port) {
      return Promise.resolve(
        errorReply(EXTENSION_ERROR.HELPER_UNAVAILABLE, current.last_error ?? "not connected"),
      );
    }
    return new Promise((resolve) => {
      const timer = timers.setTimeout(
        () => settle(message.id, errorReply(EXTENSION_ERROR.TIMEOUT, `no reply in ${timeoutMs} ms`)),
        timeoutMs,
      );
      pending.set(message.id, { resolve, timer });
      try {
        port.postMessage(message);
      } catch (error) {
        settle(message.id, errorReply(EXTENSION_ERROR.HELPER_UNAVAILABLE, error.message));
      }
    });
  }

  return {
    /** Opens the port; call once, at the top level of the background script. */
    start: connect,
    request,
    /** A copy of {state, version, device_id, last_error}. */
    state: () => ({ ...current }),
    /** `listener(push)` for every `tally.changed` push. */
    onPush: (listener) => pushListeners.add(listener),
    /** `listener(state)` whenever the state (or its error) changes. */
    onState: (listener) => stateListeners.add(listener),
  };
}
