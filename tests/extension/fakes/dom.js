/**
 * A small DOM for `node --test`: enough for the popup's builders (shared/dom.js h/fill)
 * and the tests that read what they drew. Elements hold attributes and children; text
 * is only ever text (no HTML parser: nothing here could run markup).
 *
 *   import { installDocument } from "./fakes/dom.js";
 *   const document = installDocument();         // also sets globalThis.document
 *   const root = document.createElement("div");
 *   root.querySelector('[data-sync-action="pair"]').click();
 *
 * Selectors: a tag, `#id`, `.class`, `[attr]`, `[attr="v"]` / `[attr='v']`, compounds of
 * them (`button[data-x="y"]`) and lists of compounds joined by a space (descendants).
 * Properties: textContent, value and checked (from their attributes until set), hidden,
 * disabled, id, dataset (read), form `elements`-free; focus() sets
 * document.activeElement; click() runs click listeners (and submits a form for a
 * submit button); dispatch(type, init) runs any listeners with a fake event.
 */

class FakeText {
  constructor(text) {
    this.nodeType = 3;
    this.data = String(text);
    this.parentNode = null;
  }

  get textContent() {
    return this.data;
  }
}

class FakeElement {
  constructor(document, tag) {
    this.nodeType = 1;
    this.ownerDocument = document;
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.childNodes = [];
    this.parentNode = null;
    this.listeners = new Map();
    this.props = {};
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  hasAttribute(name) {
    return this.attributes.has(name);
  }

  removeAttribute(name) {
    this.attributes.delete(name);
  }

  get id() {
    return this.getAttribute("id") ?? "";
  }

  get dataset() {
    const data = {};
    for (const [name, value] of this.attributes) {
      if (name.startsWith("data-")) data[name.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = value;
    }
    return data;
  }

  get hidden() {
    return this.hasAttribute("hidden");
  }

  set hidden(value) {
    if (value) this.setAttribute("hidden", "");
    else this.removeAttribute("hidden");
  }

  get disabled() {
    return this.hasAttribute("disabled");
  }

  get value() {
    return "value" in this.props ? this.props.value : (this.getAttribute("value") ?? "");
  }

  set value(value) {
    this.props.value = String(value);
  }

  get checked() {
    return "checked" in this.props ? this.props.checked : this.hasAttribute("checked");
  }

  set checked(value) {
    this.props.checked = Boolean(value);
  }

  get children() {
    return this.childNodes.filter((node) => node.nodeType === 1);
  }

  get textContent() {
    return this.childNodes.map((node) => node.textContent).join("");
  }

  set textContent(text) {
    this.replaceChildren(String(text));
  }

  append(...nodes) {
    for (const node of nodes) {
      const child = typeof node === "object" ? node : new FakeText(node);
      child.parentNode?.removeChild?.(child);
      child.parentNode = this;
      this.childNodes.push(child);
    }
  }

  replaceChildren(...nodes) {
    for (const child of this.childNodes) child.parentNode = null;
    this.childNodes = [];
    this.append(...nodes.filter((node) => node !== ""));
  }

  removeChild(child) {
    this.childNodes = this.childNodes.filter((node) => node !== child);
    child.parentNode = null;
  }

  remove() {
    this.parentNode?.removeChild(this);
  }

  after(...nodes) {
    const parent = this.parentNode;
    const at = parent.childNodes.indexOf(this) + 1;
    const added = nodes.map((node) => (typeof node === "object" ? node : new FakeText(node)));
    for (const node of added) node.parentNode = parent;
    parent.childNodes.splice(at, 0, ...added);
  }

  get parentElement() {
    return this.parentNode instanceof FakeElement ? this.parentNode : null;
  }

  contains(node) {
    for (let at = node; at; at = at.parentNode) if (at === this) return true;
    return false;
  }

  closest(selector) {
    for (let at = this; at instanceof FakeElement; at = at.parentNode) if (at.matches(selector)) return at;
    return null;
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  /** Runs the `type` listeners here and on the ancestors (bubbling), like a real event. */
  dispatch(type, init = {}) {
    const event = {
      type, target: this, defaultPrevented: false, ...init,
      preventDefault() { event.defaultPrevented = true; },
    };
    for (let at = this; at instanceof FakeElement; at = at.parentNode) {
      for (const listener of at.listeners.get(type) ?? []) listener(event);
    }
    return event;
  }

  click() {
    const event = this.dispatch("click");
    if (this.tagName === "BUTTON" && this.getAttribute("type") === "submit" && !event.defaultPrevented) {
      this.closest("form")?.dispatch("submit");
    }
  }

  focus() {
    this.ownerDocument.activeElement = this;
  }

  matches(selector) {
    return compound(selector).every((test) => test(this));
  }

  querySelectorAll(selector) {
    const found = [];
    const steps = selector.trim().split(/\s+(?![^[]*\])/);
    const walk = (element) => {
      for (const child of element.children) {
        if (matchesPath(child, steps, this)) found.push(child);
        walk(child);
      }
    };
    walk(this);
    return found;
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

/** `child` matches the last step and its ancestors (below `root`) the earlier ones, in order. */
function matchesPath(element, steps, root) {
  if (!element.matches(steps.at(-1))) return false;
  let rest = steps.slice(0, -1);
  for (let at = element.parentNode; rest.length && at && at !== root; at = at.parentNode) {
    if (at.matches(rest.at(-1))) rest = rest.slice(0, -1);
  }
  return rest.length === 0;
}

/** One compound selector as a list of tests. */
function compound(selector) {
  const tests = [];
  const pattern = /^([a-z0-9]+)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|([\w-]+)))?\]/gi;
  let consumed = 0;
  for (const match of selector.matchAll(pattern)) {
    if (match.index !== consumed) break;
    consumed += match[0].length;
    const [, tag, id, cls, attr, dq, sq, bare] = match;
    if (tag) tests.push((e) => e.tagName === tag.toUpperCase());
    else if (id) tests.push((e) => e.getAttribute("id") === id);
    else if (cls) tests.push((e) => (e.getAttribute("class") ?? "").split(/\s+/).includes(cls));
    else {
      const wanted = dq ?? sq ?? bare;
      tests.push((e) => e.hasAttribute(attr) && (wanted === undefined || e.getAttribute(attr) === wanted));
    }
  }
  if (consumed !== selector.length) throw new Error(`fake DOM: unsupported selector ${selector}`);
  return tests;
}

export function createDocument() {
  const document = {
    activeElement: null,
    createElement: (tag) => new FakeElement(document, tag),
    createTextNode: (text) => new FakeText(text),
  };
  document.body = document.createElement("body");
  document.activeElement = document.body;
  return document;
}

/** A fresh document, also as globalThis.document (shared/dom.js uses it). */
export function installDocument() {
  globalThis.document = createDocument();
  return globalThis.document;
}
