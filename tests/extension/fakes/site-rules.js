/** The real site rules (extension/site/genspark.json), as the content features get them. */
import { createRules } from "../../../extension/site/rules.js";
import { readExtensionJson } from "./chrome.js";

/** genspark.json, parsed afresh (a copy a test may change). */
export const siteJson = () => readExtensionJson("site/genspark.json");

/** createRules over the real genspark.json. */
export const siteRules = () => createRules(siteJson());
