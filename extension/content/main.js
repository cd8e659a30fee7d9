/**
 * Credit Guard's content scripts: the list of features (one file each, registered with
 * content/registry.js), then the wiring that runs them as the single-page site navigates.
 */
import { loadRules } from "../site/rules.js";
import { createContext } from "./context.js";
import { stopFeatures, updateFeatures } from "./registry.js";

// Who is signed in and what the site says is left.
import "./features/account-reader.js";
import "./features/balance-reader.js";

// What the user spends: one usage event per completed operation.
import "./features/usage-capture.js";

// Asking before heavy operations (submit-guard opens guard-dialog.js).
import "./features/submit-guard.js";

// When the site misbehaves: signals → the helper's diagnosis → an in-page panel.
import "./features/trouble-watch.js";

// Noticing when Genspark changes: which site rules still match on each load.
import "./features/self-check.js";

try {
  const context = createContext(await loadRules());
  const refresh = () => updateFeatures(location.href, context);
  context.on("navigation", refresh);
  addEventListener("popstate", refresh);
  addEventListener("hashchange", refresh);
  addEventListener("pagehide", stopFeatures);
  addEventListener("pageshow", (event) => event.persisted && refresh());
  refresh();
  context.listen();
} catch (error) {
  console.error("[credit-guard] not started", error);
}
