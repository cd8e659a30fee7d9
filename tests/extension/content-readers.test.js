// Account and balance readers: what an answer of the site means, without the browser.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { accountFrom } from "../../extension/content/features/account-reader.js";
import { readingsFrom } from "../../extension/content/features/balance-reader.js";
import { siteInstant } from "../../extension/content/time.js";
import { siteRules } from "./fakes/site-rules.js";

const rules = siteRules();
const AT = Date.UTC(2026, 10, 24, 21, 0, 1, 500);

describe("accountFrom", () => {
  test("the e-mail of a signed-in user", () => {
    assert.equal(accountFrom(rules, { status: 0, data: { cogen: { email: " me@example.com ", plan: "plus" } } }), "me@example.com");
  });
  test("the e-mail in the helper's one spelling: lookalikes are one account", () => {
    for (const email of ["ME@Example.com", "me\u200b@example.com", "\u202eme@example.com\u202c", "\u3000me@example.com"]) {
      assert.equal(accountFrom(rules, { status: 0, data: { cogen: { email } } }), "me@example.com", email);
    }
  });
  test("status -5 (HTTP 200 all the same) means signed out", () => {
    assert.equal(accountFrom(rules, { status: -5, message: "not login", data: {} }), null);
  });
  test("anything else is unclear, not an account", () => {
    for (const json of [null, "x", {}, { status: 0, data: {} }, { data: { cogen: { email: "" } } },
      { data: { cogen: { email: " \u200b\ufeff" } } }]) {
      assert.equal(accountFrom(rules, json), undefined);
    }
  });
});

describe("readingsFrom", () => {
  test("the balance endpoint and the credit history give credit readings", () => {
    assert.deepEqual(readingsFrom(rules, "balance", { status: 0, data: { balance: 57 } }, AT), [{ balance: 57, at: "2026-11-24T21:00:01.500Z" }]);
    assert.deepEqual(readingsFrom(rules, "credit_history", { status: 0, data: { current_balance: 9500, plan: "plus" } }, AT), [
      { balance: 9500, at: "2026-11-24T21:00:01.500Z" },
    ]);
  });

  test("free pool windows become side-quota readings with their reset", () => {
    const json = { windows: { "5h": { remaining_dollars: 0.5, reset_at: "2026-11-25T02:00:00+00:00" }, "7d": { remaining_dollars: 4, reset_at: "tomorrow" } } };
    assert.deepEqual(readingsFrom(rules, "free_pool", json, AT), [
      { balance: 0.5, at: "2026-11-24T21:00:01.500Z", window: "5h", reset_at: "2026-11-25T02:00:00.000Z" },
      { balance: 4, at: "2026-11-24T21:00:01.500Z", window: "7d" },
    ]);
  });

  test("signed out, malformed or out-of-range answers give nothing", () => {
    assert.deepEqual(readingsFrom(rules, "balance", { status: -5, message: "not login", data: {} }, AT), []);
    assert.deepEqual(readingsFrom(rules, "balance", { status: 0, data: { balance: "57" } }, AT), []);
    assert.deepEqual(readingsFrom(rules, "balance", { status: 0, data: { balance: -1 } }, AT), []);
    assert.deepEqual(readingsFrom(rules, "user", { status: 0, data: {} }, AT), []);
    assert.deepEqual(readingsFrom(rules, null, { data: { balance: 1 } }, AT), []);
  });
});

describe("times", () => {
  test("siteInstant reads epochs and zoned date-times, and refuses guesses", () => {
    assert.equal(siteInstant(1767225600), "2026-01-01T00:00:00.000Z");
    assert.equal(siteInstant(1767225600000), "2026-01-01T00:00:00.000Z");
    assert.equal(siteInstant("2026-11-25T09:00:00+09:00"), "2026-11-25T00:00:00.000Z");
    assert.equal(siteInstant("2026-11-25T00:00:00"), null, "no zone: not guessed");
    assert.equal(siteInstant("2200-01-01T00:00:00Z"), null, "outside the helper's years");
    assert.equal(siteInstant(null), null);
  });
});
