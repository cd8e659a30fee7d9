/**
 * Turns the page hook's raw messages into named traffic events: each request, response,
 * JSON body, stream event and socket frame is tagged with its endpoint name from the site
 * rules (null when the rules do not know it), so features never look at URLs.
 */

const MAX_OPEN = 200; // requests remembered between their request and their last message

/**
 * @param {object} rules  site rules (site/rules.js)
 * @param {(type: string, detail: object) => void} emit
 * @returns {(message: object) => void} handles one hook message
 */
export function createTraffic(rules, emit) {
  const open = new Map();

  function entryFor(message, method = message.method) {
    let entry = open.get(message.id);
    if (!entry && typeof message.path === "string") {
      entry = { id: message.id, method, path: message.path, endpoint: rules.matchEndpoint(message.path, method) };
      open.set(message.id, entry);
      if (open.size > MAX_OPEN) open.delete(open.keys().next().value);
    }
    return entry ?? { id: message.id, method: null, path: null, endpoint: null };
  }

  return function handle(message) {
    switch (message?.type) {
      case "request":
        emit("request", { ...entryFor(message), body: message.body, bodyHash: message.bodyHash, at: message.at });
        break;
      case "response":
        emit("response", { ...entryFor(message), status: message.status, headers: message.headers ?? {} });
        break;
      case "response-body":
        emit("json", { ...entryFor(message), json: message.json });
        open.delete(message.id);
        break;
      case "stream-event":
        emit("stream-event", { ...entryFor(message), event: message.event });
        break;
      case "stream-end":
        emit("stream-end", { ...entryFor(message), complete: message.complete === true, text: message.text });
        open.delete(message.id);
        break;
      case "ws-open":
        emit("socket-open", entryFor(message, "WS"));
        break;
      case "ws-frame":
        emit("socket-frame", { ...entryFor(message, "WS"), direction: message.direction, frame: message.frame ?? {} });
        break;
      case "ws-close":
        emit("socket-close", { ...entryFor(message, "WS"), code: message.code });
        open.delete(message.id);
        break;
      case "navigation":
        emit("navigation", { url: message.url });
        break;
      default:
        break;
    }
  };
}
