// The self-check over loads: shapes without values, when a rule counts as broken, the report.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  BROKEN_AFTER, CHECK_IDS, KEEP_LOADS, KEEP_SHAPES, OUTCOME, checkStates, cleanLoad, pathPattern,
  selfCheckReport, shapeOf, withLoad,
} from "../../extension/shared/self-check.js";

const { MATCHED, MISSED, IDLE } = OUTCOME;
const ABOUT = { extensionVersion: "0.1.0", rulesVersion: 1, rulesChecked: "2026-11-24" };

/** A load whose checks are all idle except `checks`. */
function load(n, checks = {}, unmatched = []) {
  return {
    id: `load-${String(n).padStart(4, "0")}`,
    at: 1_000 + n,
    page: null,
    checks: { ...Object.fromEntries(CHECK_IDS.map((id) => [id, IDLE])), ...checks },
    unmatched,
  };
}
const stateOf = (loads, id) => checkStates(loads).find((check) => check.id === id).state;

test("a shape keeps keys and types and drops every value", () => {
  const answer = {
    status: 0,
    data: { credits: 1234.5, profile: { email: "alice@example.com", verified: true, avatar: null } },
    messages: [{ role: "user", content: "draw my cat Tama" }],
    token: "sk-live-abcdef123456",
  };
  assert.deepEqual(shapeOf(answer), {
    status: "number",
    data: { credits: "number", profile: { email: "string", verified: "boolean", avatar: "null" } },
    messages: ["array", { role: "string", content: "string" }],
    token: "string",
  });
  assert.deepEqual(shapeOf([]), ["array"]);
});

test("keys that may be data are hidden: ids, e-mails, dates, numbers", () => {
  const shape = shapeOf({
    final_status: { "3f2a9c1e-77aa-4c1b-9d2e-0a1b2c3d4e5f": { status: "SUCCESS" } },
    usage: { "bob@example.com": 3, "2026-11-24": 1, 12345: 2 },
    v2: 1,
    cf1: 1,
  });
  assert.deepEqual(shape, { final_status: { "<key>": { status: "string" } }, usage: { "<key>": "number" }, v2: "number", cf1: "number" });
  const deep = shapeOf({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } });
  assert.equal(JSON.stringify(deep).includes("\"g\""), false, "bounded depth");
});

test("a path keeps its words and hides what may be data", () => {
  assert.equal(pathPattern("/api/agent/ask_stream?x=1"), "/api/agent/ask_stream");
  assert.equal(pathPattern("/api/v2/me"), "/api/v2/me");
  assert.equal(pathPattern("/api/project/3f2a9c1e-77aa/user/alice@example.com#x"), "/api/project/:id/user/:id");
  assert.equal(pathPattern("/api/files/s/12345"), "/api/files/s/:id");
});

test("a rule is broken only after missing BROKEN_AFTER loads in a row; idle loads change nothing", () => {
  const missed = (n) => load(n, { balance: MISSED });
  const loads = [load(0, { balance: MATCHED }), missed(1), load(2), missed(3)];
  assert.equal(stateOf(loads, "balance"), "unknown");
  for (let n = 4; n < 4 + BROKEN_AFTER - 2; n++) loads.push(missed(n));
  assert.equal(stateOf(loads, "balance"), "broken");
  loads.push(load(99, { balance: MATCHED }));
  assert.equal(stateOf(loads, "balance"), "ok", "one good load mends it");
  assert.equal(stateOf(loads, "ask"), "unknown", "never expected: nothing to say");
  assert.equal(stateOf([], "balance"), "unknown");
});

test("many good loads never warn", () => {
  const loads = Array.from({ length: 30 }, (_, n) => load(n, { account: MATCHED, balance: MATCHED, ask: n % 3 ? IDLE : MATCHED }));
  assert.deepEqual(checkStates(loads).filter(({ state }) => state === "broken"), []);
});

test("a load updates its own record; only the newest KEEP_LOADS stay", () => {
  let loads = [];
  for (let n = 0; n < KEEP_LOADS + 5; n++) loads = withLoad(loads, load(n));
  assert.equal(loads.length, KEEP_LOADS);
  assert.equal(loads[0].id, load(5).id);
  loads = withLoad(loads, load(10, { ask: MATCHED }));
  assert.equal(loads.length, KEEP_LOADS);
  assert.equal(loads.find(({ id }) => id === load(10).id).checks.ask, MATCHED);
});

test("cleanLoad keeps outcomes and shapes and drops anything else", () => {
  const dirty = {
    ...load(1, { balance: "yes", account: MATCHED }),
    email: "alice@example.com",
    page: "alice@example.com",
    unmatched: [
      { method: "GET", path: "/api/v2/me/alice@example.com", check: "account", shape: { data: { email: "string" } } },
      { method: "GET", path: "/api/x", check: "nope", shape: { data: { email: "alice@example.com" } } },
      { method: "EVIL", path: "/api/x", shape: {} },
      ...Array.from({ length: KEEP_SHAPES }, () => ({ method: "GET", path: "/api/y", shape: "number" })),
    ],
  };
  const clean = cleanLoad(dirty);
  assert.equal(clean.checks.balance, IDLE);
  assert.equal(clean.checks.account, MATCHED);
  assert.equal(clean.page, null);
  assert.equal(JSON.stringify(clean).includes("alice"), false, JSON.stringify(clean));
  assert.deepEqual(clean.unmatched[0], { method: "GET", path: "/api/v2/me/:id", check: "account", shape: { data: { email: "string" } } });
  assert.ok(clean.unmatched.length <= KEEP_SHAPES);
  assert.equal(cleanLoad({ id: "x", at: 1 }), null, "an id too short");
  assert.equal(cleanLoad({ id: "load-0001", at: "now" }), null);
});

test("the report names the broken rules and carries shapes, never a value", () => {
  const secrets = ["alice@example.com", "draw my cat Tama", "sk-live-abcdef123456", "1234.5", "3f2a9c1e"];
  const answer = {
    status: 0,
    data: { credits: 1234.5, profile: { email: secrets[0] } },
    messages: [{ content: secrets[1] }],
    session: { token: secrets[2], tasks: { "3f2a9c1e-77aa-4c1b-9d2e-0a1b2c3d4e5f": "SUCCESS" } },
  };
  const unmatched = [{ method: "GET", path: "/api/billing/credits", check: "balance", shape: shapeOf(answer) }];
  const loads = Array.from({ length: BROKEN_AFTER }, (_, n) => cleanLoad(load(n, { account: MATCHED, balance: MISSED }, unmatched)));
  const report = selfCheckReport(loads, ABOUT);
  const text = JSON.stringify(report);
  for (const secret of secrets) assert.equal(text.includes(secret), false, secret);
  assert.equal(/\d{4}-\d{2}-\d{2}T/.test(text), false, "no times of the user's loads");
  const balance = report.checks.find(({ id }) => id === "balance");
  assert.deepEqual(balance, { id: "balance", rules: ["endpoints.balance", "endpoints.credit_history"], state: "broken", matched_loads: 0, missed_loads: BROKEN_AFTER });
  assert.equal(report.checks.find(({ id }) => id === "account").state, "ok");
  assert.deepEqual(report.unmatched_responses, [{ ...unmatched[0], loads: BROKEN_AFTER }]);
  assert.deepEqual(report.site_rules, { version: 1, checked: "2026-11-24" });
  assert.equal(report.loads.length, BROKEN_AFTER);
});

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("over random answers, no value and no data-like key ever reaches a shape or the report", () => {
  const next = random(20261124);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const dataKeys = () => pick([`user${Math.floor(next() * 1e6)}@mail.test`, crypto.randomUUID(), `2026-11-${10 + Math.floor(next() * 19)}`, String(Math.floor(next() * 1e9)), "gpt-5.1"]);
  const wordKeys = ["status", "data", "balance", "credits", "profile", "items", "message"];
  const value = (depth) => {
    const roll = next();
    if (depth > 3 || roll < 0.3) return `VALUE-${Math.floor(next() * 1e9)} secret prompt`;
    if (roll < 0.4) return 1e6 + Math.floor(next() * 1e6) + 0.25;
    if (roll < 0.45) return next() < 0.5;
    if (roll < 0.6) return Array.from({ length: 1 + Math.floor(next() * 3) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 5) }, () => [next() < 0.5 ? pick(wordKeys) : dataKeys(), value(depth + 1)]));
  };
  for (let round = 0; round < 500; round++) {
    const answer = value(0);
    const shape = shapeOf(answer);
    const report = selfCheckReport([cleanLoad({ ...load(round), unmatched: [{ method: "GET", path: "/api/x", shape }] })], ABOUT);
    const text = JSON.stringify([report.loads, report.unmatched_responses]); // the rest is the extension's own
    assert.equal(/VALUE-|secret|@mail\.test|[0-9a-f]{8}-[0-9a-f]{4}|2026-11-|1\d{6}\.25|gpt-5/.test(text), false, text);
    assert.deepEqual(cleanLoad({ ...load(round), unmatched: [{ method: "GET", path: "/api/x", shape }] }).unmatched[0]?.shape ?? shape, shape,
      "a shape within the bounds survives cleanLoad unchanged");
  }
});
