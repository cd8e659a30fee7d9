/**
 * The extension's own UI on the page (the guard dialog, the trouble panel) lives inside
 * a shadow root, so the site's styles and scripts neither break it nor see its internals
 * change. Elements are built with shared/dom.js's h (text only, never HTML).
 */
import { h } from "../shared/dom.js";

/** A fresh host element with an open shadow root holding `style`, replacing any old one. */
export function mountShadowHost(id, style) {
  document.getElementById(id)?.remove();
  const host = h("div", { id });
  const root = host.attachShadow({ mode: "open" });
  root.append(h("style", {}, style));
  (document.body ?? document.documentElement).append(host);
  return { host, root };
}

/** Only https links are shown as links (alternatives come from the user's settings). */
export function safeHttpsUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}
