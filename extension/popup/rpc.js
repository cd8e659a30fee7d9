/**
 * Runtime messages to the background (docs/EXTENSION.md). Never throws: a missing
 * background, a closed port or a page opened outside the extension all come back as
 * `{ok: false, error: {code: "helper_unavailable"}}`, so the popup always has something
 * to show.
 */

const UNAVAILABLE = "helper_unavailable";

/**
 * @param {string} kind
 * @param {object} [fields]
 * @returns {Promise<{ok: boolean, error?: {code: string, message?: string, params?: object}}>}
 */
export async function send(kind, fields = {}) {
  if (!globalThis.chrome?.runtime?.sendMessage) {
    return { ok: false, error: { code: UNAVAILABLE, message: "no extension runtime" } };
  }
  try {
    const reply = await chrome.runtime.sendMessage({ kind, ...fields });
    if (reply && typeof reply === "object") return reply;
    return { ok: false, error: { code: UNAVAILABLE, message: "no answer from the background" } };
  } catch (error) {
    return { ok: false, error: { code: UNAVAILABLE, message: String(error?.message ?? error) } };
  }
}

/**
 * Calls `listener(message)` for background pushes; returns a function that stops.
 * @param {(message: {kind: string}) => void} listener
 */
export function onPush(listener) {
  const onMessage = globalThis.chrome?.runtime?.onMessage;
  if (!onMessage) return () => {};
  const handler = (message) => {
    if (message && typeof message.kind === "string") listener(message);
  };
  onMessage.addListener(handler);
  return () => onMessage.removeListener(handler);
}
