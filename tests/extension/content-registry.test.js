// The feature registry: include decides which features run, each gets its own signal,
// leaving a feature's pages aborts it, and features stay running across navigations
// that keep them included.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { createRegistry } from "../../extension/content/registry.js";

const FEATURES_DIR = new URL("../../extension/content/features/", import.meta.url);

function recorder(id, include) {
  const log = { starts: 0, signals: [] };
  return {
    log,
    feature: {
      id,
      include,
      init(signal, context) {
        log.starts++;
        log.signals.push(signal);
        log.context = context;
      },
    },
  };
}

test("runs matching features once and aborts them when the page no longer matches", () => {
  const registry = createRegistry();
  const heavy = recorder("heavy-only", (url) => url.includes("image"));
  const always = recorder("always", () => true);
  registry.register(heavy.feature);
  registry.register(always.feature);
  const context = { name: "ctx" };

  registry.update("https://www.genspark.ai/agents?type=image_generation_agent", context);
  assert.deepEqual(registry.running(), ["heavy-only", "always"]);
  assert.equal(heavy.log.context, context);

  registry.update("https://www.genspark.ai/agents?type=image_generation_agent&id=2", context);
  assert.equal(heavy.log.starts, 1, "still included: not restarted");

  registry.update("https://www.genspark.ai/agents?type=ai_chat", context);
  assert.deepEqual(registry.running(), ["always"]);
  assert.equal(heavy.log.signals[0].aborted, true);
  assert.equal(always.log.signals[0].aborted, false);

  registry.update("https://www.genspark.ai/agents?type=image_generation_agent", context);
  assert.equal(heavy.log.starts, 2, "a new run with a fresh signal");
  assert.equal(heavy.log.signals[1].aborted, false);

  registry.stopAll();
  assert.deepEqual(registry.running(), []);
  assert.ok([...heavy.log.signals, ...always.log.signals].every((signal) => signal.aborted));
});

test("include gets the context; a throwing include or init does not stop the others", (t) => {
  t.mock.method(console, "error", () => {});
  const registry = createRegistry();
  const seen = [];
  registry.register({ id: "bad-include", include: () => { throw new Error("boom"); }, init: () => {} });
  registry.register({ id: "bad-init", include: () => true, init: () => { throw new Error("boom"); } });
  registry.register({ id: "good", include: (url, context) => { seen.push(context); return true; }, init: () => {} });
  registry.update("https://www.genspark.ai/", "ctx");
  assert.deepEqual(registry.running(), ["bad-init", "good"]);
  assert.deepEqual(seen, ["ctx"]);
  assert.equal(console.error.mock.callCount(), 2);
});

test("a rejected async init is reported unless the feature was aborted", async (t) => {
  t.mock.method(console, "error", () => {});
  const registry = createRegistry();
  registry.register({ id: "async-fail", include: () => true, init: async () => { throw new Error("late"); } });
  registry.update("https://www.genspark.ai/", {});
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(console.error.mock.callCount(), 1);
});

test("ids are kebab-case, unique, and features need include and init", () => {
  const registry = createRegistry();
  assert.throws(() => registry.register({ id: "Bad_Id", include: () => true, init: () => {} }), /kebab-case/);
  assert.throws(() => registry.register({ id: "no-init", include: () => true }), /include\(url\) and init/);
  registry.register({ id: "once", include: () => true, init: () => {} });
  assert.throws(() => registry.register({ id: "once", include: () => true, init: () => {} }), /twice/);
});

test("every registered feature file registers under its own file name and has test URLs", () => {
  for (const file of readdirSync(FEATURES_DIR).filter((name) => name.endsWith(".js"))) {
    const source = readFileSync(new URL(file, FEATURES_DIR), "utf8");
    const ids = [...source.matchAll(/register\(\{\s*id: "([^"]+)"/g)].map((match) => match[1]);
    if (!ids.length) continue; // a component another feature opens (guard-dialog)
    assert.deepEqual(ids, [file.replace(/\.js$/, "")], file);
    assert.match(source, /\/\* Test URLs: https:\/\/www\.genspark\.ai\//, `${file} lists test URLs`);
  }
});

test("main.js imports every registered feature", () => {
  const main = readFileSync(new URL("../main.js", FEATURES_DIR), "utf8");
  for (const file of readdirSync(FEATURES_DIR).filter((name) => name.endsWith(".js"))) {
    const registers = /register\(\{/.test(readFileSync(new URL(file, FEATURES_DIR), "utf8"));
    assert.equal(main.includes(`import "./features/${file}";`), registers, file);
  }
});
