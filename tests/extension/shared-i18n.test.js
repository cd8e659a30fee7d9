// shared/i18n.js: chrome.i18n-style substitution, catalog loading and the fallback order
// (chosen language → chrome.i18n → English → the key), for background, popup and content.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadWords } from "../../extension/content/i18n.js";
import {
  browserLanguage, chosenLanguage, loadCatalog, loadTranslator, substitute, translatorFrom,
} from "../../extension/shared/i18n.js";
import { installChrome, readExtensionJson } from "./fakes/chrome.js";

const EN = readExtensionJson("_locales/en/messages.json");
const JA = readExtensionJson("_locales/ja/messages.json");
const silentBrowser = () => "";

test("substitute fills $1…$9 like chrome.i18n, $$ is a dollar", () => {
  assert.equal(substitute("$1 has $2 credits ($$)", ["me", 5]), "me has 5 credits ($)");
  assert.equal(substitute("$1 of $2 left", [23, "100"]), "23 of 100 left");
  assert.equal(substitute("残り $1 / $2", ["23", "100"]), "残り 23 / 100");
  assert.equal(substitute("costs $$5, $3 missing", ["a"]), "costs $5,  missing");
});

test("a catalog translates; a key nobody has shows itself", () => {
  const t = translatorFrom({ chosen: { popup_x: { message: "Hello $1" } }, browserMessage: silentBrowser });
  assert.equal(t("popup_x", ["you"]), "Hello you");
  assert.equal(t("popup_missing"), "popup_missing");
  assert.equal(translatorFrom({ chosen: null, browserMessage: silentBrowser, english: null })("nowhere"), "nowhere");
});

test("a missing key falls back to English, then to the key", () => {
  const t = translatorFrom({ chosen: {}, browserMessage: silentBrowser, english: { only_en: { message: "English $1" } } });
  assert.equal(t("only_en", ["x"]), "English x");
  assert.equal(t("nowhere"), "nowhere");
});

test("the order: chosen catalog, then chrome.i18n (with text substitutions), then English", () => {
  const asked = [];
  const t = translatorFrom({
    chosen: { both: { message: "chosen $1" } },
    browserMessage: (key, subs) => {
      asked.push(subs);
      return key === "browser" ? `browser ${subs.join("|")}` : "";
    },
    english: { both: { message: "english" }, browser: { message: "english" }, last: { message: "english $1" } },
  });
  assert.equal(t("both", ["a"]), "chosen a");
  assert.equal(t("browser", [1, null]), "browser 1|");
  assert.equal(t("last", ["z"]), "english z");
  assert.deepEqual(asked, [["1", ""], ["z"]]);
});

test("languages: chrome.i18n's own, and the setting's over it", () => {
  installChrome({ uiLanguage: "ja-JP" });
  assert.equal(browserLanguage(), "ja");
  assert.equal(chosenLanguage("auto"), "ja");
  assert.equal(chosenLanguage("en"), "en");
  installChrome({ uiLanguage: "fr" });
  assert.equal(browserLanguage(), "en");
});

test("catalogs are read from the extension; an unreadable one is null", async () => {
  installChrome();
  assert.deepEqual(await loadCatalog("ja"), JA);
  assert.equal(await loadCatalog("xx"), null);
});

test("loadTranslator speaks the chosen language even when the browser speaks another", async () => {
  installChrome({ uiLanguage: "en" });
  const ja = await loadTranslator("ja");
  assert.equal(ja("dialog_cancel"), JA.dialog_cancel.message);
  assert.equal(ja("nowhere_at_all"), "nowhere_at_all");
  const en = await loadTranslator("en");
  assert.equal(en("dialog_cancel"), EN.dialog_cancel.message);
  installChrome({ uiLanguage: "ja" });
  assert.equal((await loadTranslator("en"))("dialog_cancel"), EN.dialog_cancel.message);
});

test("content words: the language configured in the helper, else the browser's", async () => {
  installChrome({ uiLanguage: "en" });
  const configured = await loadWords(async () => ({ ok: true, global: { language: "ja" } }));
  assert.equal(configured.lang, "ja");
  assert.equal(configured.t("dialog_cancel"), JA.dialog_cancel.message);
  const unreachable = await loadWords(async () => ({ ok: false, error: { code: "helper_unavailable" } }));
  assert.equal(unreachable.lang, "en");
  assert.equal(unreachable.t("dialog_cancel"), EN.dialog_cancel.message);
});
