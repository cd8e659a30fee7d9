/**
 * The self-check's rules over loads, without the browser: what each Genspark page load
 * recorded (content/features/self-check.js), which site rules look broken after a few
 * loads, and the report a user can copy. The report is built to be shared: keys and
 * types, never a value (no e-mail, prompt, figure or token).
 *
 * A leaf module: imports nothing, used by the content script, the background and the popup.
 */

/** Where the background keeps the loads (storage.local: a site change outlives the browser session). */
export const SELF_CHECK_KEY = "self_check";

/**
 * What the self-check looks at, each with the genspark.json entries it depends on (the
 * report names them, so a maintainer knows what to update).
 */
export const CHECKS = Object.freeze([
  { id: "account", rules: ["endpoints.user"] },
  { id: "balance", rules: ["endpoints.balance", "endpoints.credit_history"] },
  { id: "ask", rules: ["endpoints.ask_proxy", "endpoints.copilot_ask", "request_types"] },
  { id: "limit_texts", rules: ["texts.kinds", "stream.exhausted_flags", "response_text_fields"] },
  { id: "prompt_box", rules: ["selectors.prompt_box"] },
  { id: "send_button", rules: ["selectors.send_button"] },
]);
export const CHECK_IDS = Object.freeze(CHECKS.map(({ id }) => id));

/** A check's outcome in one load: it matched, it should have and did not, or nothing to say. */
export const OUTCOME = Object.freeze({ MATCHED: "matched", MISSED: "missed", IDLE: "idle" });
const OUTCOMES = new Set(Object.values(OUTCOME));

/** Loads in a row (ignoring idle ones) a check must miss before it is called broken. */
export const BROKEN_AFTER = 3;
/** Loads kept (newest); enough to see a streak and a few matches before it. */
export const KEEP_LOADS = 20;
/** Unmatched response shapes kept per load. */
export const KEEP_SHAPES = 12;

const MAX_DEPTH = 6;
const MAX_KEYS = 40;
const MAX_SHAPE_CHARS = 4_000;
/** A key or path segment kept as written: a word, at most two trailing digits (v2, cf1, 5h is not). */
const NAME = /^[A-Za-z_][A-Za-z_-]{0,37}[0-9]{0,2}$/;
const HIDDEN_KEY = "<key>";
const HIDDEN_SEGMENT = ":id";

/**
 * The shape of a JSON value: objects keep their keys, everything else becomes its type
 * ("string", "number", "boolean", "null"); arrays are ["array", shape of the first item].
 * Keys that may be data (ids, e-mails, dates, numbers) become "<key>".
 */
export function shapeOf(value, depth = 0) {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return "array";
    return value.length ? ["array", shapeOf(value[0], depth + 1)] : ["array"];
  }
  if (typeof value === "object") {
    if (depth >= MAX_DEPTH) return "object";
    const shape = {};
    for (const key of Object.keys(value).slice(0, MAX_KEYS)) {
      const name = NAME.test(key) ? key : HIDDEN_KEY;
      if (!(name in shape)) shape[name] = shapeOf(value[key], depth + 1);
    }
    return shape;
  }
  return ["string", "number", "boolean"].includes(typeof value) ? typeof value : "null";
}

/** The path of an /api/ URL without query, each segment that may be data replaced by ":id". */
export function pathPattern(path) {
  const bare = String(path ?? "").split(/[?#]/)[0];
  return bare.split("/").map((segment) => (segment === "" || NAME.test(segment) ? segment : HIDDEN_SEGMENT)).join("/");
}

/**
 * A load as the background keeps it, or null when it is not one: outcomes only from the
 * known set, unmatched responses only as shapes (anything else a wrong sender
 * put in is dropped).
 */
export function cleanLoad(load) {
  if (!load || typeof load !== "object" || typeof load.id !== "string" || !/^[\w-]{8,64}$/.test(load.id)) return null;
  if (!Number.isFinite(load.at)) return null;
  const checks = {};
  for (const id of CHECK_IDS) checks[id] = OUTCOMES.has(load.checks?.[id]) ? load.checks[id] : OUTCOME.IDLE;
  const unmatched = (Array.isArray(load.unmatched) ? load.unmatched : []).slice(0, KEEP_SHAPES).flatMap((entry) => {
    if (!entry || !["GET", "POST", "PUT", "PATCH", "DELETE"].includes(entry.method)) return [];
    const shape = cleanShape(entry.shape);
    if (shape === null || JSON.stringify(shape).length > MAX_SHAPE_CHARS) return [];
    return [{ method: entry.method, path: pathPattern(entry.path), check: CHECK_IDS.includes(entry.check) ? entry.check : null, shape }];
  });
  const page = typeof load.page === "string" && NAME.test(load.page) ? load.page : null;
  return { id: load.id, at: load.at, page, checks, unmatched };
}

const TYPE_NAMES = new Set(["string", "number", "boolean", "null", "array", "object"]);

/** A shape as shapeOf makes them, else null: type names, ["array", shape?], objects of shapes. */
function cleanShape(shape, depth = 0) {
  if (typeof shape === "string") return TYPE_NAMES.has(shape) ? shape : null;
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(shape)) {
    if (shape[0] !== "array" || shape.length > 2) return null;
    if (shape.length === 1) return ["array"];
    const inner = cleanShape(shape[1], depth + 1);
    return inner === null ? null : ["array", inner];
  }
  if (!shape || typeof shape !== "object") return null;
  const out = {};
  for (const [key, inner] of Object.entries(shape).slice(0, MAX_KEYS)) {
    const clean = cleanShape(inner, depth + 1);
    if (clean === null || !(NAME.test(key) || key === HIDDEN_KEY)) return null;
    out[key] = clean;
  }
  return out;
}

/** `loads` with `load` put in place of the one with its id (a load updates its record), newest KEEP_LOADS. */
export function withLoad(loads, load) {
  const others = (loads ?? []).filter(({ id }) => id !== load.id);
  return [...others, load].sort((a, b) => a.at - b.at).slice(-KEEP_LOADS);
}

/**
 * Each check's state over the loads (oldest first): `broken` once its last BROKEN_AFTER
 * loads that said anything all missed; `ok` when the last one that said anything matched;
 * else `unknown`. Idle loads neither break nor mend a check.
 * @returns {Array<{id: string, rules: string[], state: "ok"|"broken"|"unknown", missedInARow: number, matched: number, missed: number}>}
 */
export function checkStates(loads = []) {
  return CHECKS.map(({ id, rules }) => {
    const said = loads.map((load) => load.checks?.[id]).filter((outcome) => outcome === OUTCOME.MATCHED || outcome === OUTCOME.MISSED);
    let missedInARow = 0;
    while (missedInARow < said.length && said[said.length - 1 - missedInARow] === OUTCOME.MISSED) missedInARow++;
    const state = missedInARow >= BROKEN_AFTER ? "broken" : said.at(-1) === OUTCOME.MATCHED ? "ok" : "unknown";
    return {
      id,
      rules,
      state,
      missedInARow,
      matched: said.filter((outcome) => outcome === OUTCOME.MATCHED).length,
      missed: said.filter((outcome) => outcome === OUTCOME.MISSED).length,
    };
  });
}

/**
 * The report "Copy a report" puts on the clipboard: which rules matched over the kept
 * loads, and the shapes of the answers no rule matched. No times, no values.
 * @param {Array<object>} loads the stored loads, oldest first
 * @param {{extensionVersion: string, rulesVersion: number, rulesChecked: string}} about
 */
export function selfCheckReport(loads = [], { extensionVersion, rulesVersion, rulesChecked }) {
  const shapes = new Map();
  for (const load of loads) {
    for (const entry of load.unmatched ?? []) {
      const key = `${entry.method} ${entry.path} ${JSON.stringify(entry.shape)}`;
      const seen = shapes.get(key);
      if (seen) seen.loads++;
      else shapes.set(key, { method: entry.method, path: entry.path, check: entry.check ?? null, shape: entry.shape, loads: 1 });
    }
  }
  return {
    report: "credit-guard-self-check",
    format: 1,
    extension_version: extensionVersion,
    site_rules: { version: rulesVersion, checked: rulesChecked },
    checks: checkStates(loads).map(({ id, rules, state, matched, missed }) => ({ id, rules, state, matched_loads: matched, missed_loads: missed })),
    loads: loads.map((load) => ({ page: load.page ?? null, checks: load.checks })),
    unmatched_responses: [...shapes.values()],
  };
}
