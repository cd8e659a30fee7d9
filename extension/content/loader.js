/**
 * Credit Guard loader: isolated world, document_start, classic script.
 *
 * Content scripts cannot be ES modules, so this one imports content/main.js. It starts
 * listening to the page hook at once and keeps what it hears until main.js takes over:
 * the page fetches the user and the balance while main.js is still loading.
 */
(() => {
  "use strict";

  const LOADER = Symbol.for("credit-guard.loader");
  if (globalThis[LOADER]) return;

  const early = [];
  const keep = (event) => {
    if (event.source === window && event.data?.source === "credit-guard-hook") early.push(event.data);
  };
  addEventListener("message", keep);
  globalThis[LOADER] = {
    /** Hands over the messages heard so far and stops keeping them. */
    takeEarlyMessages() {
      removeEventListener("message", keep);
      return early.splice(0);
    },
  };

  import(chrome.runtime.getURL("content/main.js")).catch((error) => {
    console.error("[credit-guard] could not load the content scripts", error);
  });
})();
