// The guard's pure parts: which preflight answers open the dialog, and which Enter
// presses send (never one that confirms an input method's conversion).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { guardDecision, isSubmitKey } from "../../extension/content/features/submit-guard.js";

describe("guardDecision", () => {
  const cases = [
    ["ok", { ok: true, level: "ok", estimated_cost: 2 }, "pass"],
    ["warn", { ok: true, level: "warn", estimated_cost: 40 }, "dialog"],
    ["stop", { ok: true, level: "stop", estimated_cost: 200 }, "dialog"],
    ["an unknown level", { ok: true, level: "maybe" }, "pass"],
    ["timeout", { ok: false, error: { code: "timeout", message: "" } }, "pass"],
    ["no helper", { ok: false, error: { code: "helper_unavailable", message: "" } }, "pass"],
    ["no account", { ok: false, error: { code: "no_account", message: "" } }, "pass"],
    ["a helper error", { ok: false, error: { code: "internal", message: "" } }, "pass"],
    ["no answer at all", undefined, "pass"],
  ];
  for (const [what, answer, decision] of cases) {
    test(`${what} → ${decision}`, () => assert.equal(guardDecision(answer), decision));
  }
});

describe("isSubmitKey", () => {
  const enter = { key: "Enter", keyCode: 13, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, isComposing: false };
  const cases = [
    ["plain Enter", {}, true],
    ["Shift+Enter (a new line)", { shiftKey: true }, false],
    ["Enter while composing (IME)", { isComposing: true }, false],
    ["Enter with keyCode 229 (IME, Safari after compositionend)", { keyCode: 229 }, false],
    ["Ctrl+Enter", { ctrlKey: true }, false],
    ["Cmd+Enter", { metaKey: true }, false],
    ["Alt+Enter", { altKey: true }, false],
    ["another key", { key: "a", keyCode: 65 }, false],
    ["numpad Enter", { code: "NumpadEnter" }, true],
  ];
  for (const [what, change, expected] of cases) {
    test(`${what} → ${expected}`, () => assert.equal(isSubmitKey({ ...enter, ...change }), expected));
  }
});
