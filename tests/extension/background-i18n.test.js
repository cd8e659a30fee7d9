import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { test } from "node:test";

import { loadLocalizer, renderMessage } from "../../extension/background/i18n.js";
import { EXTENSION_DIR } from "./fakes/chrome.js";

const readJson = async (path) => JSON.parse(await readFile(EXTENSION_DIR + path, "utf8"));

test("messages fill $1…$9 and $$ like chrome.i18n", () => {
  assert.equal(renderMessage({ message: "$1 has $2 credits ($$)" }, ["me", 5]), "me has 5 credits ($)");
  assert.equal(renderMessage(undefined, []), undefined);
});

test("a missing key falls back to English, then to the key", async () => {
  const t = await loadLocalizer("ja", async (path) =>
    path.includes("/ja/") ? {} : { only_en: { message: "English $1" } });
  assert.equal(t("only_en", "x"), "English x");
  assert.equal(t("nowhere"), "nowhere");
});

test("every key the background uses exists in both catalogs, with the same placeholders", async () => {
  const en = await readJson("_locales/en/messages.json");
  const ja = await readJson("_locales/ja/messages.json");
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
