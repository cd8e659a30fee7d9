/**
 * Genspark tabs: finding them, telling them things, and the `tab.action`s the
 * popup and the pages ask for (reload, clear site data, open the login or the
 * status page). URLs come from the site rules (site/genspark.json), read as data:
 * importing site/rules.js would tie the worker's start to the content scripts' code.
 */
import { TAB_ACTION, EXTENSION_ERROR, errorReply, okReply } from "../shared/messages.js";
import { HELPER_ERROR } from "../shared/protocol.js";
import { isFirefox, readExtensionJson } from "./browser.js";

const GENSPARK_ORIGIN = "https://www.genspark.ai";
const GENSPARK_TABS = `${GENSPARK_ORIGIN}/*`;

/**
 * What "clear genspark.ai's site data" removes (it signs the user out: the popup and the
 * panel ask first). Chromium scopes removal by origin; Firefox by host name, for fewer
 * data types (its cache cannot be scoped to a site, and it knows no `cacheStorage`).
 */
const SITE_DATA = isFirefox()
  ? {
      scope: { hostnames: ["www.genspark.ai", "genspark.ai"] },
      types: { cookies: true, localStorage: true, indexedDB: true, serviceWorkers: true },
    }
  : {
      scope: { origins: [GENSPARK_ORIGIN] },
      types: {
        cache: true,
        cacheStorage: true,
        cookies: true,
        localStorage: true,
        indexedDB: true,
        serviceWorkers: true,
      },
    };

/**
 * "Clear genspark.ai's cache" (Chromium only): cached files, the Cache API and service
 * workers, none of which holds the sign-in.
 */
const CACHE_ONLY = {
  scope: { origins: [GENSPARK_ORIGIN] },
  types: { cache: true, cacheStorage: true, serviceWorkers: true },
};

/** Every open Genspark tab (host permission lets us see their URLs). */
function gensparkTabs() {
  return chrome.tabs.query({ url: GENSPARK_TABS });
}

/** The Genspark tab the user is looking at, else any Genspark tab, else null. */
async function activeGensparkTab() {
  const [active] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  if (active?.url?.startsWith(`${GENSPARK_ORIGIN}/`)) return active;
  return (await gensparkTabs())[0] ?? null;
}

/** A URL named in the site rules (`urls.<name>.url`), or the site itself without one. */
async function siteUrl(name) {
  try {
    const url = new URL((await readExtensionJson("site/genspark.json")).urls[name].url);
    if (url.protocol !== "https:") throw new Error(`${url} is not https`);
    return url.href;
  } catch (error) {
    console.error(`Credit Guard: no ${name} URL in the site rules`, error);
    return `${GENSPARK_ORIGIN}/`;
  }
}

/** Opens `url` in the given Genspark tab when there is one, else in a new tab. */
async function openIn(tab, url) {
  if (tab) await chrome.tabs.update(tab.id, { url, active: true });
  else await chrome.tabs.create({ url });
}

const ACTIONS = {
  async [TAB_ACTION.RELOAD](senderTab) {
    const tab = senderTab ?? (await activeGensparkTab());
    if (tab) await chrome.tabs.reload(tab.id);
    else await chrome.tabs.create({ url: `${GENSPARK_ORIGIN}/` });
    return okReply();
  },
  async [TAB_ACTION.OPEN_LOGIN](senderTab) {
    await openIn(senderTab ?? (await activeGensparkTab()), await siteUrl("login"));
    return okReply();
  },
  async [TAB_ACTION.OPEN_STATUS]() {
    await chrome.tabs.create({ url: await siteUrl("status") });
    return okReply();
  },
  async [TAB_ACTION.RELOAD_WITHOUT_CACHE](senderTab) {
    const tab = senderTab ?? (await activeGensparkTab());
    if (tab) await chrome.tabs.reload(tab.id, { bypassCache: true });
    else await chrome.tabs.create({ url: `${GENSPARK_ORIGIN}/` });
    return okReply();
  },
  async [TAB_ACTION.CLEAR_CACHE]() {
    if (isFirefox()) return errorReply(HELPER_ERROR.INVALID, "Firefox cannot clear one site's cache");
    return removeBrowsingData(CACHE_ONLY);
  },
  async [TAB_ACTION.CLEAR_SITE_DATA]() {
    return removeBrowsingData(SITE_DATA);
  },
};

/** The popup asks for `browsingData` in its click handler; here it is only checked. */
async function removeBrowsingData({ scope, types }) {
  if (!(await chrome.permissions.contains({ permissions: ["browsingData"] }))) {
    return errorReply(EXTENSION_ERROR.PERMISSION_DENIED, "browsingData permission not granted");
  }
  await chrome.browsingData.remove(scope, types);
  return okReply();
}

/**
 * Runs a `tab.action`. From a content script it acts on that script's tab; from
 * the popup on the Genspark tab in view.
 */
export async function runTabAction(action, sender) {
  const run = ACTIONS[action];
  if (!run) return errorReply(HELPER_ERROR.INVALID, `unknown tab action ${action}`);
  return run(sender?.tab ?? null);
}

/** Sends `message` to every Genspark tab; a tab without our content script is skipped. */
export async function tellGensparkTabs(message) {
  for (const tab of await gensparkTabs()) {
    chrome.tabs.sendMessage(tab.id, message).catch(() => {});
  }
}
