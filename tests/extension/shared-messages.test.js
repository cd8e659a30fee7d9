import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { EXTENSION_ERROR, KIND, TAB_ACTION, errorReply, okReply } from "../../extension/shared/messages.js";

const CONTRACT = readFileSync(new URL("../../docs/EXTENSION.md", import.meta.url), "utf8");

test("every runtime message kind of EXTENSION.md's table has a constant", () => {
  const table = CONTRACT.slice(CONTRACT.indexOf("## Runtime messages"));
  const kinds = [...table.matchAll(/^\| `([a-z.]+)`(?: \/ `([a-z.]+)`)? \|/gm)]
    .flatMap((match) => match.slice(1).filter(Boolean));
  assert.ok(kinds.length >= 9);
  for (const kind of kinds) assert.ok(Object.values(KIND).includes(kind), kind);
  assert.ok(table.includes(`{kind: "${KIND.TALLY_CHANGED}"`));
});

test("the extension's own error codes and tab actions are the documented ones", () => {
  for (const code of Object.values(EXTENSION_ERROR)) assert.ok(CONTRACT.includes(`\`${code}\``), code);
  for (const action of Object.values(TAB_ACTION)) assert.ok(CONTRACT.includes(`\`${action}\``), action);
});

test("answers are {ok: true, ...} or {ok: false, error: {code, message}}", () => {
  assert.deepEqual(okReply({ queued: true }), { queued: true, ok: true });
  assert.deepEqual(errorReply("timeout"), { ok: false, error: { code: "timeout", message: "timeout" } });
});
