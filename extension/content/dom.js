/**
 * Building the extension's own UI (the guard dialog, the trouble panel) inside a shadow
 * root, so the site's styles and scripts neither break it nor see its internals change.
 * Text only through textContent: nothing from the helper or the site is parsed as HTML.
 */

/** An element with attributes (`on*` functions become listeners) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

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
