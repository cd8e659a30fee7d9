/**
 * Credit Guard page hook: MAIN world, document_start, classic script.
 *
 * Observes the page's own same-origin `/api/` and `/ws/` traffic (fetch, XMLHttpRequest,
 * WebSocket) and its history navigation, and posts short summaries to the isolated world
 * through a private MessageChannel. The channel's other port goes to the loader
 * (content/loader.js, listed after this script in the manifest) at document_start, before
 * any script of the page runs: the loader asks with a synchronous DOM event, this hook
 * answers with one carrying the port, and the loader cancels it to say it took the port.
 * A page script can post on window but never on this channel, so it cannot forge what
 * the hook says (docs/DECISIONS.md, "The page hook's channel"). It changes nothing: every
 * wrapper calls the original first and returns exactly what the original returned (same
 * promise, same object, same errors); bodies are read only from clones or tees. It knows
 * nothing about Genspark: site knowledge lives in site/genspark.json, used by the
 * isolated world.
 */
(() => {
  "use strict";

  const INSTALLED = Symbol.for("credit-guard.page-hook");
  if (window[INSTALLED]) return;
  Object.defineProperty(window, INSTALLED, { value: true });

  const PORT_EVENT = "credit-guard:hook-port"; // hook → loader: the port, in `ports`
  const READY_EVENT = "credit-guard:loader-ready"; // loader → hook: hand me the port
  const OBSERVED_PATH = /^\/(api|ws)\//;
  const MAX_BODY_CHARS = 1_000_000; // request or response text parsed at most
  const MAX_TEXT_CHARS = 2_000; // non-JSON response text kept (error pages, bare messages)
  const MAX_STRING = 300; // longer strings are left out of summaries (answers, prompts)
  const MAX_DEPTH = 4;
  const MAX_KEYS = 60;
  const MAX_ITEMS = 20;
  const HASHED_EDGE = 65_536; // the body hash covers its length, head and tail
  const NAME_KEYS = /^(type|event|name|action|kind|id)$/;

  const origin = location.origin;
  const originalFetch = window.fetch;
  const OriginalWebSocket = window.WebSocket;
  const xhrOpen = XMLHttpRequest.prototype.open;
  const xhrSend = XMLHttpRequest.prototype.send;
  const wsSend = OriginalWebSocket.prototype.send;
  const xhrInfo = new WeakMap();
  const socketIds = new WeakMap();
  let nextId = 1;

  // Bound now, before the page runs: a page that later replaces
  // MessagePort.prototype.postMessage never sees this port.
  const channel = new MessageChannel();
  const sendToLoader = MessagePort.prototype.postMessage.bind(channel.port1);

  /** Answers the loader's ask with its port; once it took it (cancelled the offer), no more. */
  function offerPort() {
    const offer = new MessageEvent(PORT_EVENT, { cancelable: true, ports: [channel.port2] });
    if (!dispatchEvent(offer)) removeEventListener(READY_EVENT, offerPort);
  }
  addEventListener(READY_EVENT, offerPort);

  function post(message) {
    try {
      sendToLoader(message); // queued on the port until the loader listens
    } catch (error) {
      console.error("[credit-guard] page hook could not post", error);
    }
  }

  /** The same-origin observed path (with query) of a URL, or null. */
  function observedPath(url) {
    try {
      const parsed = new URL(String(url), location.href);
      const sameHost = parsed.origin === origin
        || (/^wss?:$/.test(parsed.protocol) && parsed.host === location.host);
      return sameHost && OBSERVED_PATH.test(parsed.pathname) ? parsed.pathname + parsed.search : null;
    } catch {
      return null;
    }
  }

  /** A bounded copy of a JSON value: short strings, shallow, few keys and items. */
  function summarize(value, depth = 0) {
    if (value === null || typeof value === "number" || typeof value === "boolean") return value;
    if (typeof value === "string") return value.length <= MAX_STRING ? value : undefined;
    if (typeof value !== "object" || depth >= MAX_DEPTH) return undefined;
    if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => summarize(item, depth + 1) ?? null);
    const out = {};
    for (const key of Object.keys(value).slice(0, MAX_KEYS)) {
      const summary = summarize(value[key], depth + 1);
      if (summary !== undefined) out[key] = summary;
    }
    return out;
  }

  function parseJson(text) {
    if (typeof text !== "string" || text.length > MAX_BODY_CHARS) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /** FNV-1a over the body's length, head and tail: a cheap, stable request fingerprint. */
  function hashText(text) {
    const sample = text.length > 2 * HASHED_EDGE
      ? text.slice(0, HASHED_EDGE) + text.slice(-HASHED_EDGE)
      : text;
    let hash = 0x811c9dc5;
    let hash2 = 0x01000193 ^ text.length;
    for (let i = 0; i < sample.length; i++) {
      const code = sample.charCodeAt(i);
      hash = Math.imul(hash ^ code, 0x01000193);
      hash2 = Math.imul(hash2 ^ code, 0x5bd1e995);
    }
    return `${(hash >>> 0).toString(16).padStart(8, "0")}${(hash2 >>> 0).toString(16).padStart(8, "0")}${text.length.toString(16)}`;
  }

  function postRequest(id, method, path, bodyText) {
    const message = { type: "request", id, method, path, at: Date.now() };
    if (typeof bodyText === "string" && bodyText) {
      message.body = summarize(parseJson(bodyText));
      message.bodyHash = hashText(bodyText);
    }
    post(message);
  }

  function headersOf(get) {
    return {
      date: get("date"),
      contentType: get("content-type"),
      cfMitigated: get("cf-mitigated"),
    };
  }

  /** Feeds text chunks, emits each stream event (SSE `data:` or NDJSON line) as it ends. */
  function lineReader(id) {
    let buffer = "";
    let text = "";
    let events = 0;
    const line = (raw) => {
      const trimmed = raw.replace(/\r$/, "");
      const data = trimmed.startsWith("data:") ? trimmed.slice(5).trim() : trimmed.trim();
      if (!data || trimmed.startsWith(":") || /^(event|id|retry):/.test(trimmed) || data === "[DONE]") return;
      const parsed = parseJson(data);
      if (parsed !== undefined && typeof parsed === "object") {
        events++;
        post({ type: "stream-event", id, event: summarize(parsed) });
      } else if (text.length < MAX_TEXT_CHARS) {
        text += `${data.slice(0, MAX_TEXT_CHARS - text.length)}\n`;
      }
    };
    return {
      push(chunk) {
        buffer += chunk;
        const lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(line);
      },
      end(complete) {
        line(buffer);
        buffer = "";
        post({ type: "stream-end", id, complete, events, text: text || undefined });
      },
    };
  }

  /** Reads a clone of a fetch response: JSON whole (capped), anything else as a stream. */
  async function readResponse(id, response) {
    const contentType = response.headers.get("content-type") || "";
    const body = response.body;
    if (!body) return;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    if (/json/i.test(contentType) && !/ndjson|stream/i.test(contentType)) {
      let text = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (text.length > MAX_BODY_CHARS) {
          reader.cancel().catch(() => {});
          return;
        }
      }
      post({ type: "response-body", id, json: summarize(parseJson(text + decoder.decode())) });
      return;
    }
    const lines = lineReader(id);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        lines.push(decoder.decode(value, { stream: true }));
      }
      lines.push(decoder.decode());
      lines.end(true);
    } catch {
      lines.end(false); // the page aborted or the network failed: no completion
    }
  }

  function requestBodyOf(input, init) {
    if (init && typeof init.body === "string") return Promise.resolve(init.body);
    if (input instanceof Request && !(init && "body" in init) && input.body) {
      return input.clone().text().catch(() => undefined);
    }
    return Promise.resolve(undefined);
  }

  window.fetch = function fetch(input) {
    const init = arguments[1];
    let path = null;
    let method = "GET";
    let bodyPromise = null;
    try {
      path = observedPath(input instanceof Request ? input.url : input);
      if (path) {
        method = String((init && init.method) || (input instanceof Request ? input.method : "GET")).toUpperCase();
        if (method !== "GET" && method !== "HEAD") bodyPromise = requestBodyOf(input, init);
      }
    } catch {
      path = null;
    }
    const result = originalFetch.apply(this, arguments);
    if (!path) return result;
    const id = nextId++;
    (bodyPromise || Promise.resolve(undefined)).then((bodyText) => postRequest(id, method, path, bodyText));
    result.then(
      (response) => {
        post({ type: "response", id, method, path, status: response.status, headers: headersOf((name) => response.headers.get(name)) });
        let clone;
        try {
          clone = response.clone();
        } catch {
          return; // the page already used the body: nothing to observe
        }
        readResponse(id, clone).catch(() => {});
      },
      () => post({ type: "response", id, method, path, status: 0, headers: {} }),
    );
    return result;
  };

  XMLHttpRequest.prototype.open = function open(method, url) {
    try {
      const path = observedPath(url);
      xhrInfo.set(this, path ? { path, method: String(method).toUpperCase() } : null);
    } catch {
      xhrInfo.delete(this);
    }
    return xhrOpen.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function send() {
    const info = xhrInfo.get(this);
    if (info) {
      const id = nextId++;
      const body = arguments[0];
      postRequest(id, info.method, info.path, typeof body === "string" ? body : undefined);
      this.addEventListener("loadend", () => observeXhr(this, id, info), { once: true });
    }
    return xhrSend.apply(this, arguments);
  };

  function observeXhr(xhr, id, info) {
    const get = (name) => xhr.getResponseHeader(name);
    post({ type: "response", id, method: info.method, path: info.path, status: xhr.status, headers: xhr.status ? headersOf(get) : {} });
    if (!xhr.status) return;
    if (xhr.responseType === "json") {
      post({ type: "response-body", id, json: summarize(xhr.response) });
    } else if (xhr.responseType === "" || xhr.responseType === "text") {
      const text = xhr.responseText;
      if (/json/i.test(get("content-type") || "") && !/ndjson|stream/i.test(get("content-type") || "")) {
        post({ type: "response-body", id, json: summarize(parseJson(text)) });
      } else {
        const lines = lineReader(id);
        lines.push(text.slice(0, MAX_BODY_CHARS));
        lines.end(true);
      }
    }
  }

  /** The name-like top-level fields of a socket frame; nothing else. */
  function frameSummary(data) {
    const parsed = typeof data === "string" ? parseJson(data) : undefined;
    if (!parsed || typeof parsed !== "object") return null;
    const out = {};
    for (const key of Object.keys(parsed)) {
      const value = parsed[key];
      if (NAME_KEYS.test(key) && typeof value === "string" && value.length <= 100) out[key] = value;
    }
    return out;
  }

  window.WebSocket = new Proxy(OriginalWebSocket, {
    construct(target, args, newTarget) {
      const socket = Reflect.construct(target, args, newTarget);
      const path = observedPath(args[0]);
      if (path) {
        const id = nextId++;
        socketIds.set(socket, id);
        post({ type: "ws-open", id, path });
        socket.addEventListener("message", (event) => {
          const frame = frameSummary(event.data);
          if (frame) post({ type: "ws-frame", id, direction: "in", frame });
        });
        socket.addEventListener("close", (event) => post({ type: "ws-close", id, code: event.code }));
      }
      return socket;
    },
  });

  OriginalWebSocket.prototype.send = function send(data) {
    const id = socketIds.get(this);
    const result = wsSend.apply(this, arguments);
    if (id) {
      const frame = frameSummary(data);
      if (frame) post({ type: "ws-frame", id, direction: "out", frame });
    }
    return result;
  };

  // pushState and replaceState change the page without a load: each is said as a
  // navigation. The wrappers keep the originals' names and arity.
  for (const name of ["pushState", "replaceState"]) {
    const original = History.prototype[name];
    History.prototype[name] = {
      [name](data, unused) {
        const result = original.apply(this, arguments);
        post({ type: "navigation", url: location.href });
        return result;
      },
    }[name];
  }
})();
