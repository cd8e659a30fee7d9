// The background's message keys (its translator is shared/i18n.js, tested in shared-i18n).
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { test } from "node:test";

import { EXTENSION_DIR, readExtensionJson } from "./fakes/chrome.js";

test("every key the background uses exists in both catalogs, with the same placeholders", async () => {
  const en = readExtensionJson("_locales/en/messages.json");
  const ja = readExtensionJson("_locales/ja/messages.json");
  const keys = new Set();
  for (const file of await readdir(EXTENSION_DIR + "background")) {
    const source = await readFile(`${EXTENSION_DIR}background/${file}`, "utf8");
    for (const [, key] of source.matchAll(/t\(\s*"((?:badge|notify|common|bg)_\w+)"/g)) keys.add(key);
  }
  assert.ok(keys.size >= 9);
  const placeholders = (text) => [...new Set(text.match(/\$[1-9]/g) ?? [])].sort();
  for (const key of keys) {
    assert.ok(en[key] && ja[key], key);
    assert.deepEqual(placeholders(ja[key].message), placeholders(en[key].message), key);
  }
});
