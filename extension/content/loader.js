/**
 * Credit Guard loader: isolated world, document_start, classic script.
 *
 * Content scripts cannot be ES modules, so this one imports content/main.js. First it
 * takes the page hook's private port (content/page-hook.js, which the manifest runs just
 * before this script, both before any script of the page): it asks with a synchronous DOM
 * event and listens for the answer only while that event is dispatched, so a page that
 * forges the handshake later finds nobody listening. The port keeps the hook's messages
 * queued until main.js starts listening: the page fetches the user and the balance while
 * main.js is still loading.
 */
(() => {
  "use strict";

  const LOADER = Symbol.for("credit-guard.loader");
  if (globalThis[LOADER]) return;

  const PORT_EVENT = "credit-guard:hook-port";
  const READY_EVENT = "credit-guard:loader-ready";
  let hookPort = null;

  const takePort = (event) => {
    if (hookPort || !(event instanceof MessageEvent) || event.ports.length !== 1) return;
    hookPort = event.ports[0];
    event.preventDefault(); // tells the hook its port was taken
  };
  addEventListener(PORT_EVENT, takePort);
  dispatchEvent(new Event(READY_EVENT)); // the hook answers synchronously, from its listener
  removeEventListener(PORT_EVENT, takePort);
  if (!hookPort) console.error("[credit-guard] the page hook did not answer: the page's traffic is not observed");

  globalThis[LOADER] = {
    /** The hook's port (its messages queued since document_start), or null without one. */
    hookPort: () => hookPort,
  };

  import(chrome.runtime.getURL("content/main.js")).catch((error) => {
    console.error("[credit-guard] could not load the content scripts", error);
  });
})();
