// Usage event ids: a UUID derived from the site's ids, stable across runs and devices.
import assert from "node:assert/strict";
import { test } from "node:test";

import { eventIdFor } from "../../extension/content/event-id.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// The helper's pattern (docs/PROTOCOL.md, usage.event_id).
const HELPER_PATTERN = /^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$/;

test("the same key gives the same id", async () => {
  const first = await eventIdFor("image|task|3f2b8c1e");
  assert.equal(await eventIdFor("image|task|3f2b8c1e"), first);
  assert.match(first, UUID);
  assert.match(first, HELPER_PATTERN);
});

test("a known key has a known id: the derivation never changes silently", async () => {
  // Changing it would count every operation seen again (reload, other device) twice.
  assert.equal(await eventIdFor("image|task|abc"), "4993e422-04cd-5bf7-bba0-be0be3923cf8");
});

test("different keys give different ids", async () => {
  const ids = await Promise.all(["a", "b", "image|task|a", "video|task|a", ""].map(eventIdFor));
  assert.equal(new Set(ids).size, ids.length);
});
