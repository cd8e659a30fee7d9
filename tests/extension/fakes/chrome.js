/**
 * An in-memory fake of the chrome.* APIs the extension uses, for `node --test`.
 * Promise-based like MV3; every call is recorded so tests can look at what happened.
 *
 *   import { installChrome } from "./fakes/chrome.js";
 *   const chrome = installChrome({ uiLanguage: "ja", tabs: [{ id: 1, url: "https://www.genspark.ai/" }] });
 *   await import("../../extension/background/worker.js");        // sees globalThis.chrome
 *   const reply = await chrome.runtime.dispatchMessage({ kind: "helper.state" }, { tab: { id: 1 } });
 *
 * createChrome(options) → fake; installChrome(options) also sets globalThis.chrome and
 * routes fetch() of chrome-extension://<id>/… to the files under extension/.
 * readExtensionJson(path) parses one of those files (catalogs, site rules) for a test.
 * Options: { uiLanguage = "en", tabs = [], granted = [] (optional permissions held),
 *            nativeHost(port) — called with each FakeNativePort as it is opened }.
 *
 * What a fake holds (read it; mutate it to arrange a test):
 *   storage.local / storage.session  get(keys|null) set(items) remove(keys) clear();
 *                                    `.data` is the plain object behind it
 *   runtime   id, lastError, getManifest() (the real manifest), getURL(path),
 *             sendMessage(msg) → resolves undefined, recorded in `.sent`;
 *             onMessage / onStartup / onInstalled events;
 *             dispatchMessage(msg, sender = {}) → Promise of the answer, as a listener
 *             gives it (sendResponse after `return true`, or a returned promise);
 *             connectNative(name) → FakeNativePort, all kept in `.nativePorts`
 *   action    setBadgeText/setBadgeBackgroundColor/setTitle → `.badge` {text, color, title}
 *   notifications  create(id, options) → `.shown` [{id, ...options}]; clear(id)
 *   tabs      `.list` of {id, url, active}; query({url, active}); create(props);
 *             update(id, props); reload(id, {bypassCache}) → `.reloaded` (and
 *             `.reloadedWithoutCache`); sendMessage(id, msg) → `.sent`
 *   permissions  contains({permissions}) / request({permissions}) over `.granted` (a Set)
 *   browsingData remove(options, types) → `.removed` [{options, types}]
 *   alarms    create(name, info) / get / clear over `.all` (a Map); onAlarm;
 *             fire(name) dispatches onAlarm
 *   i18n      getUILanguage(); getMessage(key, subs) from extension/_locales/<ui language>
 *
 * FakeNativePort (the helper's end): `.posted` (what the extension sent), `.respond =
 * (request) => reply | undefined` answers each request (undefined: no answer);
 * reply(message) delivers one message (a reply or a push); hostDisconnect(error) drops
 * the port as the browser would, with chrome.runtime.lastError set during the event
 * (e.g. "Specified native messaging host not found."); `.connected`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const EXTENSION_DIR = fileURLToPath(new URL("../../../extension/", import.meta.url));
export const EXTENSION_ID = "mcpbclgggcikgcgnhkmlmjjhcifpmmcf";
const BASE_URL = `chrome-extension://${EXTENSION_ID}/`;

/** A JSON file of the extension (manifest, catalogs, site rules), parsed. */
export function readExtensionJson(path) {
  return JSON.parse(readFileSync(EXTENSION_DIR + path, "utf8"));
}

/** An event: addListener, removeListener, hasListener, and dispatch(...args) → results. */
export function createEvent() {
  const listeners = new Set();
  return {
    listeners,
    addListener: (listener) => listeners.add(listener),
    removeListener: (listener) => listeners.delete(listener),
    hasListener: (listener) => listeners.has(listener),
    dispatch: (...args) => [...listeners].map((listener) => listener(...args)),
  };
}

function createStorageArea() {
  const area = {
    data: {},
    async get(keys = null) {
      if (keys === null) return structuredClone(area.data);
      const defaults = typeof keys === "object" && !Array.isArray(keys) ? keys : {};
      const names = typeof keys === "string" ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys);
      const found = {};
      for (const name of names) {
        if (name in area.data) found[name] = structuredClone(area.data[name]);
        else if (name in defaults) found[name] = defaults[name];
      }
      return found;
    },
    async set(items) {
      Object.assign(area.data, structuredClone(items));
    },
    async remove(keys) {
      for (const name of [keys].flat()) delete area.data[name];
    },
    async clear() {
      area.data = {};
    },
  };
  return area;
}

/** The helper's end of a native-messaging port. */
export class FakeNativePort {
  constructor(name, runtime) {
    this.name = name;
    this.runtime = runtime;
    this.posted = [];
    this.connected = true;
    this.respond = () => undefined;
    this.onMessage = createEvent();
    this.onDisconnect = createEvent();
  }

  postMessage(message) {
    if (!this.connected) throw new Error("Attempting to use a disconnected port object");
    this.posted.push(structuredClone(message));
    const reply = this.respond(message);
    if (reply !== undefined) queueMicrotask(() => this.reply(reply));
  }

  /** The extension closed the port (no onDisconnect on its own side). */
  disconnect() {
    this.connected = false;
  }

  /** Host → extension. */
  reply(message) {
    if (this.connected) this.onMessage.dispatch(structuredClone(message));
  }

  /** The browser drops the port; `error` is what chrome.runtime.lastError says. */
  hostDisconnect(error = "Native host has exited.") {
    if (!this.connected) return;
    this.connected = false;
    this.runtime.lastError = { message: error };
    this.onDisconnect.dispatch(this);
    this.runtime.lastError = undefined;
  }
}

function matchesPattern(url, pattern) {
  const expression = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${expression}$`).test(url ?? "");
}

export function createChrome({ uiLanguage = "en", tabs = [], granted = [], nativeHost = () => {} } = {}) {
  const runtime = {
    id: EXTENSION_ID,
    lastError: undefined,
    sent: [],
    nativePorts: [],
    onMessage: createEvent(),
    onStartup: createEvent(),
    onInstalled: createEvent(),
    getManifest: () => readExtensionJson("manifest.json"),
    getURL: (path) => BASE_URL + String(path).replace(/^\//, ""),
    async sendMessage(message) {
      runtime.sent.push(structuredClone(message));
    },
    dispatchMessage(message, sender = {}) {
      return new Promise((resolve) => {
        let waiting = false;
        for (const listener of runtime.onMessage.listeners) {
          const result = listener(structuredClone(message), { id: EXTENSION_ID, ...sender }, resolve);
          if (result === true) waiting = true;
          else if (result instanceof Promise) {
            waiting = true;
            result.then(resolve);
          }
        }
        if (!waiting) resolve(undefined);
      });
    },
    connectNative(name) {
      const port = new FakeNativePort(name, runtime);
      runtime.nativePorts.push(port);
      nativeHost(port);
      return port;
    },
  };

  const tabsApi = {
    list: tabs.map((tab) => ({ active: false, ...tab })),
    sent: [],
    reloaded: [],
    reloadedWithoutCache: [],
    async query({ url, active } = {}) {
      return tabsApi.list.filter(
        (tab) =>
          (url === undefined || [url].flat().some((pattern) => matchesPattern(tab.url, pattern))) &&
          (active === undefined || tab.active === active),
      );
    },
    async create(props) {
      const tab = { id: 1000 + tabsApi.list.length, active: true, ...props };
      tabsApi.list.push(tab);
      return tab;
    },
    async update(id, props) {
      const tab = tabsApi.list.find((candidate) => candidate.id === id);
      Object.assign(tab, props);
      return tab;
    },
    async reload(id, props = {}) {
      tabsApi.reloaded.push(id);
      if (props.bypassCache) tabsApi.reloadedWithoutCache.push(id);
    },
    async sendMessage(id, message) {
      tabsApi.sent.push({ id, message: structuredClone(message) });
    },
  };

  const catalog = readExtensionJson(`_locales/${uiLanguage.startsWith("ja") ? "ja" : "en"}/messages.json`);
  const alarms = {
    all: new Map(),
    onAlarm: createEvent(),
    async create(name, info) {
      alarms.all.set(name, { name, ...info });
    },
    async get(name) {
      return alarms.all.get(name);
    },
    async clear(name) {
      return alarms.all.delete(name);
    },
    fire(name) {
      return alarms.onAlarm.dispatch(alarms.all.get(name) ?? { name });
    },
  };

  const action = {
    badge: { text: "", color: null, title: "" },
    async setBadgeText({ text }) {
      action.badge.text = text;
    },
    async setBadgeBackgroundColor({ color }) {
      action.badge.color = color;
    },
    async setTitle({ title }) {
      action.badge.title = title;
    },
  };

  const permissions = {
    granted: new Set(granted),
    async contains({ permissions: wanted = [] }) {
      return wanted.every((name) => permissions.granted.has(name));
    },
    async request({ permissions: wanted = [] }) {
      for (const name of wanted) permissions.granted.add(name);
      return true;
    },
  };

  const notifications = {
    shown: [],
    async create(id, options) {
      notifications.shown.push({ id, ...options });
      return id;
    },
    async clear(id) {
      return true;
    },
  };

  const browsingData = {
    removed: [],
    async remove(options, types) {
      browsingData.removed.push({ options, types });
    },
  };

  const i18n = {
    getUILanguage: () => uiLanguage,
    getMessage: (key, subs = []) =>
      catalog[key]?.message.replace(/\$(\$|[1-9])/g, (_, which) =>
        which === "$" ? "$" : String([subs].flat()[Number(which) - 1] ?? ""),
      ) ?? "",
  };

  return {
    runtime,
    storage: { local: createStorageArea(), session: createStorageArea() },
    tabs: tabsApi,
    alarms,
    action,
    permissions,
    notifications,
    browsingData,
    i18n,
  };
}

/** fetch() that serves chrome-extension://<id>/… from extension/, like the browser. */
function extensionFetch(realFetch) {
  return async (input, init) => {
    const url = String(input?.url ?? input);
    if (!url.startsWith(BASE_URL)) return realFetch(input, init);
    try {
      return new Response(readFileSync(EXTENSION_DIR + url.slice(BASE_URL.length)));
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
}

/** createChrome(options), installed as globalThis.chrome (with fetch for extension URLs). */
export function installChrome(options) {
  const chrome = createChrome(options);
  globalThis.chrome = chrome;
  if (!globalThis.fetch.isExtensionFetch) {
    const fetch = extensionFetch(globalThis.fetch);
    fetch.isExtensionFetch = true;
    globalThis.fetch = fetch;
  }
  return chrome;
}
