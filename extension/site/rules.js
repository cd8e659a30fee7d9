/**
 * Site rules: loads and validates site/genspark.json and answers named questions about
 * Genspark, so that a redesign of the site touches only the JSON. Unknown pages and
 * unknown responses give null: the extension never guesses.
 *
 * A leaf module: imports nothing, works in the browser and under `node --test`.
 */

const OPERATIONS = new Set([
  "chat", "search", "image", "video", "audio", "analysis", "slides", "sheets", "agent", "other",
]);
const LANGUAGES = new Set(["en", "ja", "ko", "zh"]);
const METHODS = new Set(["GET", "POST", "WS"]);
const ENDPOINT_NAMES = [
  "balance", "credit_history", "user", "free_pool", "ask_proxy", "copilot_ask",
  "image_tasks_status", "video_tasks_status", "super_agent_socket",
];
/** What a site text can say: the helper's `signals.text_kinds` (messages.py TextKind). */
export const TEXT_KINDS = new Set([
  "exhausted", "rate_limit_cf1", "rate_limit_cf2", "too_quickly", "overloaded", "unavailable",
  "challenge", "window_limit", "signed_out",
]);
const MAX_MODEL_CHARS = 200;

/** Fetches site/genspark.json from the extension package and validates it. */
export async function loadRules() {
  const response = await fetch(chrome.runtime.getURL("site/genspark.json"));
  return createRules(await response.json());
}

/** Reads a dotted path ("data.cogen.email") from a JSON value; undefined when absent. */
export function readPath(value, path) {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = current[key];
  }
  return current;
}

/**
 * Validates `data` (the parsed genspark.json) and returns the lookups.
 * Throws an Error naming the first bad field.
 */
export function createRules(data) {
  validate(data);
  const origin = data.origin;
  const endpoints = data.endpoints;
  const texts = data.texts.kinds.map((entry) => ({
    kind: entry.kind,
    needles: Object.values(entry.needles).flat(),
  }));
  const resetPattern = new RegExp(data.texts.reset_epoch_pattern);

  /** Same-origin path of `url` (absolute or a path), or null for another origin. */
  function pathOf(url) {
    let parsed;
    try {
      parsed = new URL(url, origin);
    } catch {
      return null;
    }
    const sameOrigin = parsed.origin === origin
      || (parsed.protocol === "wss:" && parsed.host === new URL(origin).host);
    return sameOrigin ? parsed : null;
  }

  const rules = {
    version: data.version,
    checked: data.checked,

    /** The operation of an agent page, or null (not an agent page, or an unknown type). */
    pageOperation(url) {
      const parsed = pathOf(url);
      const agents = data.pages.agents;
      if (!parsed || parsed.pathname.replace(/\/+$/, "") !== agents.path) return null;
      const type = parsed.searchParams.get(agents.param);
      return Object.hasOwn(agents.types, type ?? "") ? agents.types[type].operation : null;
    },

    /** Heavy operations are the ones the guard asks about before they start. */
    isHeavy(operation) {
      return data.heavy.includes(operation);
    },

    /** The endpoint name for a same-origin URL and method ("WS" for sockets), or null. */
    matchEndpoint(url, method) {
      const parsed = pathOf(url);
      if (!parsed) return null;
      const wanted = String(method).toUpperCase();
      for (const [name, endpoint] of Object.entries(endpoints)) {
        if (endpoint.path === parsed.pathname && endpoint.method === wanted) return name;
      }
      return null;
    },

    /** The path of an endpoint the extension may read itself (GET only). */
    endpointPath(name) {
      if (endpoints[name]?.method !== "GET") throw new Error(`no readable endpoint ${name} in the site rules`);
      return endpoints[name].path;
    },

    /** A named field of an endpoint's JSON response ("balance", "email"…), or undefined. */
    field(endpointName, fieldName, json) {
      const path = endpoints[endpointName]?.fields?.[fieldName];
      if (path === undefined) throw new Error(`no field ${endpointName}.${fieldName} in the site rules`);
      return readPath(json, path);
    },

    /** The site's own status code in a JSON answer (0 is fine, -5 signed out), or null. */
    siteStatus(json) {
      const status = readPath(json, data.site_status.field);
      return Number.isInteger(status) ? status : null;
    },

    /** The site's own "signed out" status: the visitor has no session. */
    isSignedOut(json) {
      return readPath(json, data.site_status.field) === data.site_status.signed_out;
    },

    /** The free_pool side windows as [{window, balance, reset_at}] (only well-formed ones). */
    freePoolWindows(json) {
      const spec = endpoints.free_pool;
      const windows = readPath(json, spec.fields.windows);
      if (!windows || typeof windows !== "object") return [];
      return spec.windows.flatMap((name) => {
        const balance = readPath(windows[name], spec.fields.remaining);
        const resetAt = readPath(windows[name], spec.fields.reset_at);
        if (typeof balance !== "number" || !Number.isFinite(balance)) return [];
        return [{ window: name, balance, reset_at: typeof resetAt === "string" ? resetAt : null }];
      });
    },

    /** The operation a generation request starts, or null when its type is unknown. */
    operationFromRequest(endpointName, body) {
      const endpoint = endpoints[endpointName];
      if (!endpoint) return null;
      if (endpoint.operation) return endpoint.operation;
      const type = endpoint.request?.operation && readPath(body, endpoint.request.operation);
      return typeof type === "string" && Object.hasOwn(data.request_types, type)
        ? data.request_types[type].operation
        : null;
    },

    /** The model a generation request names ("a+b" for several), or null. */
    modelFromRequest(endpointName, body) {
      for (const path of endpoints[endpointName]?.request?.model ?? []) {
        const value = readPath(body, path);
        const names = (Array.isArray(value) ? value : [value])
          .filter((name) => typeof name === "string" && name.trim() !== "");
        if (names.length) return names.join("+").slice(0, MAX_MODEL_CHARS);
      }
      return null;
    },

    /** Operations that complete when their tasks succeed, not when their stream ends. */
    taskOperations() {
      return [...new Set(Object.values(endpoints).filter((e) => e.request?.task_ids).map((e) => e.operation))];
    },

    /** The task ids a tasks-status request polls ([] when none). */
    taskIds(endpointName, body) {
      const path = endpoints[endpointName]?.request?.task_ids;
      const ids = path ? readPath(body, path) : undefined;
      return Array.isArray(ids) ? ids.filter((id) => typeof id === "string" && id) : [];
    },

    /** "start" | "end" | null for a stream event's fields. */
    streamPhase(event) {
      const name = readPath(event, data.stream.name_field);
      if (data.stream.start.includes(name)) return "start";
      if (data.stream.end.includes(name)) return "end";
      return null;
    },

    /** The first id field an event carries, or null. */
    streamId(event) {
      for (const path of data.stream.id_fields) {
        const value = readPath(event, path);
        if (typeof value === "string" && value) return value;
        if (typeof value === "number") return String(value);
      }
      return null;
    },

    /** The short texts of a stream event that may carry limit or error messages. */
    streamTexts(event) {
      return stringsAt(event, data.stream.text_fields);
    },

    /** The stream event says the usage quota is exhausted (a flag, not a text). */
    streamSaysExhausted(event) {
      return data.stream.exhausted_flags.some((path) => readPath(event, path) === true);
    },

    /** The texts of a JSON response that may carry limit or error messages. */
    responseTexts(json) {
      return stringsAt(json, data.response_text_fields);
    },

    /**
     * A tasks-status event or answer: null unless it says the tasks are complete; else the
     * task ids that succeeded and those that did not.
     */
    taskOutcome(event) {
      const tasks = data.tasks;
      const shape = tasks.shapes.find(({ marker }) => readPath(event, marker) === tasks.complete_event);
      if (!shape) return null;
      const statuses = readPath(event, shape.statuses);
      const succeeded = [];
      const failed = [];
      for (const [id, task] of Object.entries(statuses && typeof statuses === "object" ? statuses : {})) {
        (tasks.success.includes(readPath(task, tasks.status_field)) ? succeeded : failed).push(id);
      }
      return { succeeded, failed };
    },

    /** "start" | "end" | "error" | null for a super-agent socket frame type. */
    socketPhase(frameType) {
      for (const phase of ["start", "end", "error"]) {
        if (data.socket[phase].includes(frameType)) return phase;
      }
      return null;
    },

    /** The frame type of a parsed socket frame, or null. */
    socketFrameType(frame) {
      const type = readPath(frame, data.socket.name_field);
      return typeof type === "string" ? type : null;
    },

    /**
     * What a site text says: {kind, resetEpoch?} or null. Case-insensitive substring match;
     * the first kind in genspark.json's order wins (cf2 before the generic rate limit).
     */
    classifyText(text) {
      if (typeof text !== "string" || !text) return null;
      const haystack = text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
      const entry = texts.find(({ needles }) => needles.some((needle) => haystack.includes(needle)));
      if (!entry) return null;
      const result = { kind: entry.kind };
      const epoch = text.match(resetPattern);
      if (epoch) result.resetEpoch = Number(epoch[1]);
      return result;
    },

    /** Longest DOM text (characters) worth classifying: error toasts are short. */
    maxDomTextChars: data.texts.max_dom_text_chars,

    /** The CSS selector of a named element (throws for a name the rules do not define). */
    selector(name) {
      const entry = data.selectors[name];
      if (!entry) throw new Error(`no selector ${name} in the site rules`);
      return entry.css;
    },

    /** The selectors with their expected match counts and test URLs (for checks). */
    selectorChecks() {
      return Object.entries(data.selectors).map(([name, entry]) => ({ name, ...entry }));
    },

    /** A named URL: login, status, credit_usage (throws for an unknown name). */
    url(name) {
      const entry = data.urls[name];
      if (!entry) throw new Error(`no url ${name} in the site rules`);
      return entry.url;
    },
  };
  return Object.freeze(rules);
}

function stringsAt(value, paths) {
  return paths.map((path) => readPath(value, path)).filter((text) => typeof text === "string" && text);
}

/* ---------- validation: every problem names its field ---------- */

function validate(data) {
  const fail = (field, problem) => {
    throw new Error(`site rules (genspark.json): ${field} ${problem}`);
  };
  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  const object = (value, field) => (isObject(value) ? value : fail(field, "must be an object"));
  const string = (value, field) =>
    (typeof value === "string" && value ? value : fail(field, "must be a non-empty string"));
  const strings = (value, field) => {
    if (!Array.isArray(value) || value.length === 0) fail(field, "must be a non-empty list");
    value.forEach((item, index) => string(item, `${field}.${index}`));
    return value;
  };
  const operation = (value, field) =>
    (OPERATIONS.has(value) ? value : fail(field, `must be an operation (${[...OPERATIONS].join(", ")})`));
  const unverified = (value, field) => {
    if (value === undefined || typeof value === "boolean") return;
    if (!Array.isArray(value) || !value.every((lang) => LANGUAGES.has(lang))) {
      fail(field, "must be true/false or a list of languages");
    }
  };

  object(data, "(top level)");
  if (!Number.isInteger(data.version) || data.version < 1) fail("version", "must be a positive integer");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(data.checked ?? "")) fail("checked", "must be a YYYY-MM-DD date");
  if (!/^https:\/\/[^/]+$/.test(data.origin ?? "")) fail("origin", "must be an https origin without a path");

  const agents = object(object(data.pages, "pages").agents, "pages.agents");
  string(agents.path, "pages.agents.path");
  string(agents.param, "pages.agents.param");
  for (const [type, page] of Object.entries(object(agents.types, "pages.agents.types"))) {
    operation(object(page, `pages.agents.types.${type}`).operation, `pages.agents.types.${type}.operation`);
    unverified(page.unverified, `pages.agents.types.${type}.unverified`);
  }
  strings(data.heavy, "heavy").forEach((op, index) => operation(op, `heavy.${index}`));

  object(data.endpoints, "endpoints");
  for (const name of ENDPOINT_NAMES) {
    const endpoint = object(data.endpoints[name], `endpoints.${name}`);
    if (!METHODS.has(endpoint.method)) fail(`endpoints.${name}.method`, "must be GET, POST or WS");
    if (!string(endpoint.path, `endpoints.${name}.path`).startsWith("/")) {
      fail(`endpoints.${name}.path`, "must start with /");
    }
    for (const [field, path] of Object.entries(endpoint.fields ?? {})) string(path, `endpoints.${name}.fields.${field}`);
    if (endpoint.operation !== undefined) operation(endpoint.operation, `endpoints.${name}.operation`);
  }
  for (const field of ["status", "balance"]) string(data.endpoints.balance.fields?.[field], `endpoints.balance.fields.${field}`);
  string(data.endpoints.credit_history.fields?.balance, "endpoints.credit_history.fields.balance");
  string(data.endpoints.user.fields?.email, "endpoints.user.fields.email");
  for (const field of ["windows", "remaining", "reset_at"]) string(data.endpoints.free_pool.fields?.[field], `endpoints.free_pool.fields.${field}`);
  strings(data.endpoints.free_pool.windows, "endpoints.free_pool.windows");
  for (const name of ["ask_proxy", "copilot_ask"]) {
    string(data.endpoints[name].request?.operation, `endpoints.${name}.request.operation`);
    strings(data.endpoints[name].request?.model, `endpoints.${name}.request.model`);
  }
  for (const name of ["image_tasks_status", "video_tasks_status"]) {
    string(data.endpoints[name].request?.task_ids, `endpoints.${name}.request.task_ids`);
    operation(data.endpoints[name].operation, `endpoints.${name}.operation`);
  }
  string(object(data.site_status, "site_status").field, "site_status.field");
  if (!Number.isInteger(data.site_status.signed_out)) fail("site_status.signed_out", "must be an integer");

  for (const [type, entry] of Object.entries(object(data.request_types, "request_types"))) {
    operation(object(entry, `request_types.${type}`).operation, `request_types.${type}.operation`);
    unverified(entry.unverified, `request_types.${type}.unverified`);
  }

  const stream = object(data.stream, "stream");
  string(stream.name_field, "stream.name_field");
  for (const key of ["start", "end", "id_fields", "text_fields", "exhausted_flags"]) strings(stream[key], `stream.${key}`);
  const tasks = object(data.tasks, "tasks");
  for (const key of ["complete_event", "status_field"]) string(tasks[key], `tasks.${key}`);
  if (!Array.isArray(tasks.shapes) || !tasks.shapes.length) fail("tasks.shapes", "must be a non-empty list");
  tasks.shapes.forEach((shape, index) => {
    for (const key of ["marker", "statuses"]) string(object(shape, `tasks.shapes.${index}`)[key], `tasks.shapes.${index}.${key}`);
    unverified(shape.unverified, `tasks.shapes.${index}.unverified`);
  });
  strings(tasks.success, "tasks.success");
  const socket = object(data.socket, "socket");
  string(socket.name_field, "socket.name_field");
  for (const key of ["start", "end", "error"]) strings(socket[key], `socket.${key}`);
  strings(data.response_text_fields, "response_text_fields");

  for (const [name, entry] of Object.entries(object(data.selectors, "selectors"))) {
    object(entry, `selectors.${name}`);
    string(entry.css, `selectors.${name}.css`);
    if (!(Number.isInteger(entry.expect) || /^\d+\+$/.test(entry.expect ?? ""))) {
      fail(`selectors.${name}.expect`, 'must be a count or "N+"');
    }
    if (!String(entry.test_url ?? "").startsWith(`${data.origin}/`)) fail(`selectors.${name}.test_url`, "must be a URL on the origin");
  }
  for (const name of ["prompt_box", "send_button"]) object(data.selectors[name], `selectors.${name}`);

  const texts = object(data.texts, "texts");
  try {
    new RegExp(string(texts.reset_epoch_pattern, "texts.reset_epoch_pattern"));
  } catch {
    fail("texts.reset_epoch_pattern", "must be a regular expression");
  }
  if (!Number.isInteger(texts.max_dom_text_chars) || texts.max_dom_text_chars < 1) {
    fail("texts.max_dom_text_chars", "must be a positive integer");
  }
  if (!Array.isArray(texts.kinds)) fail("texts.kinds", "must be a list");
  texts.kinds.forEach((entry, index) => {
    const field = `texts.kinds.${index}`;
    if (!TEXT_KINDS.has(object(entry, field).kind)) fail(`${field}.kind`, `must be one of ${[...TEXT_KINDS].join(", ")}`);
    for (const [lang, needles] of Object.entries(object(entry.needles, `${field}.needles`))) {
      if (!LANGUAGES.has(lang)) fail(`${field}.needles.${lang}`, "is not a language (en, ja, ko, zh)");
      strings(needles, `${field}.needles.${lang}`).forEach((needle, at) => {
        if (needle !== needle.toLowerCase()) fail(`${field}.needles.${lang}.${at}`, "must be lower case");
      });
    }
    unverified(entry.unverified, `${field}.unverified`);
  });

  for (const name of ["login", "status", "credit_usage"]) {
    const entry = object(object(data.urls, "urls")[name], `urls.${name}`);
    if (!/^https:\/\/\S+$/.test(entry.url ?? "")) fail(`urls.${name}.url`, "must be an https URL");
    unverified(entry.unverified, `urls.${name}.unverified`);
  }
}
