import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  HELPER_ERROR, PROTOCOL_VERSION, REQUEST_FIELDS, buildRequest, isPush, isoMillis, newId, requestFields,
} from "../../extension/shared/protocol.js";

const PROTOCOL = readFileSync(new URL("../../docs/PROTOCOL.md", import.meta.url), "utf8");

/** The body under a heading, up to the next heading of its level or above (code blocks skipped). */
function section(text, heading) {
  const level = heading.match(/^#+/)[0].length;
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  assert.notEqual(start, -1, `PROTOCOL.md has no heading ${heading}`);
  const body = [];
  let inCode = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("```")) inCode = !inCode;
    const match = !inCode && line.match(/^(#+) /);
    if (match && match[1].length <= level) break;
    body.push(line);
  }
  return body.join("\n");
}

/** The first column's `names` of the table rows in `text`. */
function tableNames(text) {
  return [...text.matchAll(/^\| `([a-z_.]+)` \|/gm)].map((match) => match[1]);
}

/** The rows of a kind's request-field table (its header has a "required" column). */
function requestTable(text) {
  const lines = text.split("\n");
  const header = lines.findIndex((line) => /^\| field \| type \| required \|/.test(line));
  if (header === -1) return "";
  const rows = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line);
  }
  return rows.join("\n");
}

test("the helper's error codes are PROTOCOL.md's error table, in order", () => {
  assert.deepEqual(Object.values(HELPER_ERROR), tableNames(section(PROTOCOL, "## Error codes")));
});

test("each request kind carries exactly the top-level fields PROTOCOL.md lists", () => {
  const requests = section(PROTOCOL, "## Requests");
  const documentedKinds = [...requests.matchAll(/^### `([a-z.]+)`$/gm)].map((match) => match[1]);
  assert.deepEqual(Object.keys(REQUEST_FIELDS).sort(), documentedKinds.sort());
  for (const kind of documentedKinds) {
    const table = requestTable(section(requests, `### \`${kind}\``));
    const fields = tableNames(table).filter((name) => !name.includes("."));
    assert.deepEqual([...REQUEST_FIELDS[kind]].sort(), [...new Set(fields)].sort(), kind);
  }
});

test("a built request has the envelope and only its kind's fields", () => {
  const request = buildRequest("preflight", {
    kind: "preflight", account: "me@example.com", operation: "image", timeout_ms: 300,
    model: undefined, prompt_chars: 12,
  }, "req-1");
  assert.deepEqual(request, {
    v: PROTOCOL_VERSION, id: "req-1", type: "preflight",
    account: "me@example.com", operation: "image", prompt_chars: 12,
  });
  assert.deepEqual(requestFields("status", { kind: "status" }), {});
  assert.throws(() => buildRequest("nope", {}), TypeError);
});

test("isoMillis is UTC with millisecond precision", () => {
  assert.equal(isoMillis(Date.UTC(2026, 10, 24, 21, 0, 1, 500)), "2026-11-24T21:00:01.500Z");
});

test("ids are fresh UUIDs (valid usage event ids too)", () => {
  const [a, b] = [newId(), newId()];
  assert.notEqual(a, b);
  assert.match(a, /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/);
});

test("pushes are told from replies by the absence of ok", () => {
  assert.equal(isPush({ v: 1, type: "tally.changed", account: "a", tally: {} }), true);
  assert.equal(isPush({ v: 1, id: "x", ok: false, error: { code: "invalid" } }), false);
});
