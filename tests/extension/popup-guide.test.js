// The popup's links to the user guide (popup/guide.js): the project's one address, the
// page in the popup's language, a page that exists in docs/guide/, a link that needs no
// permission.
import test from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { GUIDE_URL, PROJECT_URL, guideUrl } from "../../extension/popup/guide.js";
import { readExtensionJson } from "./fakes/chrome.js";

const ROOT = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, ROOT), "utf8");

test("the project's address is the one pyproject.toml publishes", () => {
  const homepage = read("pyproject.toml").match(/^\[project\.urls\][^[]*?^Homepage = "([^"]+)"/ms);
  assert.ok(homepage, "pyproject.toml [project.urls] Homepage");
  assert.equal(PROJECT_URL, homepage[1]);
  assert.match(PROJECT_URL, /^https:\/\/[^\s]+[^/]$/);
  const documentation = read("pyproject.toml").match(/^Documentation = "([^"]+)"/m);
  assert.equal(documentation?.[1], guideUrl("en"), "the guide's index, the same address");
});

test("guideUrl: the page in the popup's language, English for any other", () => {
  assert.equal(guideUrl("en"), `${PROJECT_URL}/blob/main/docs/guide/README.md`);
  assert.equal(guideUrl("ja"), `${PROJECT_URL}/blob/main/docs/guide/README.ja.md`);
  assert.equal(guideUrl("ja", "install"), `${GUIDE_URL}install.ja.md`);
  assert.equal(guideUrl("en", "install"), `${GUIDE_URL}install.md`);
  assert.equal(guideUrl("fr", "install"), `${GUIDE_URL}install.md`);
  assert.equal(guideUrl(undefined), `${GUIDE_URL}README.md`);
});

test("every page the popup links to exists in docs/guide/, in both languages", () => {
  for (const language of ["en", "ja"]) {
    for (const page of ["README", "install"]) {
      const path = guideUrl(language, page).slice(`${PROJECT_URL}/blob/main/`.length);
      assert.ok(existsSync(new URL(path, ROOT)), path);
    }
  }
});

test("the popup's Guide link opens a new tab, named in English and Japanese", () => {
  const html = read("extension/popup/popup.html");
  const link = html.match(/<a id="guide-link"[^>]*>/)?.[0];
  assert.ok(link, "popup.html has #guide-link");
  assert.match(link, /target="_blank"/);
  assert.match(link, /rel="noopener"/);
  assert.match(link, /data-i18n="popup_guide"/);
  assert.equal(readExtensionJson("_locales/en/messages.json").popup_guide.message, "Guide");
  assert.equal(readExtensionJson("_locales/ja/messages.json").popup_guide.message, "使い方ガイド");
  const script = read("extension/popup/popup.js");
  assert.match(script, /\$\("#guide-link"\)\.href = guideUrl\(lang\)/, "the link follows the language");
  assert.match(script, /\$\("#install-guide"\)\.href = guideUrl\(state\.lang, "install"\)/);
});

test("a plain link needs no permission: the manifest asks for no tabs permission", () => {
  const manifest = readExtensionJson("manifest.json");
  assert.ok(!manifest.permissions.includes("tabs"));
});
