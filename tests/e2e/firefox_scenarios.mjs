// Firefox ESR: the guard's main scenarios, as tests/e2e/test_guard.py, test_trouble.py and
// test_japanese.py run them in Chromium; started by tests/e2e/test_firefox.py, which reads
// the JSON report this prints on its last line.
//
// One Firefox (devkit/firefox.mjs), one helper, one fake site for every scenario, in turn:
// chat (passes without a dialog), held and held_enter (a video sent by the button or Enter,
// held by the dialog: cancel, then go on),
// japanese (language=ja: the dialog in Japanese, cancel), trouble (the site says used up:
// the trouble panel's steps). Each scenario records what the page showed and the moments
// (Unix seconds) it acted; the test reads what the fake site received in between from its
// own request log, so a scenario can fail alone and the verdict is the site's, not ours.
//
// Environment: what devkit/firefox.mjs reads, plus ACCOUNT, EXPECT_BALANCE (the site's
// balance at the start), STEP_TIMEOUT_MS, EXHAUSTED_TEXT, and the prompts VIDEO_PROMPT,
// CHAT_PROMPT.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { POPUP, launchFirefox, runAndReport } from "../../devkit/firefox.mjs";

const env = process.env;
const STEP = Number(env.STEP_TIMEOUT_MS || 15000);
const SITE = "https://www.genspark.ai";
const PROMPT = "textarea.search-input"; // devkit/browsers.py PROMPT and SEND
const SEND = "div.right-icon-group div.enter-icon";
const DIALOG = "#credit-guard-dialog"; // the guard's shadow host (open shadow root)
const PANEL = "#credit-guard-panel";
const report = { steps: [], scenarios: {} };

const now = () => Date.now() / 1000;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll fn(arg) in the page until it returns something truthy (bounded by STEP); see
 * firefox_smoke.mjs: puppeteer's own waits do not see moz-extension:// pages over BiDi. */
async function until(page, fn, arg, what) {
  const deadline = Date.now() + STEP;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (error) {
      last = String(error);
    }
    await pause(150);
  }
  throw new Error(`timed out after ${STEP} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Open an extension page: the navigation is started, then its document is awaited. */
async function openExtensionPage(page, url) {
  page.goto(url, { timeout: STEP }).catch(() => {}); // the load event never reaches puppeteer
  await until(page, (u) => location.href === u && document.readyState === "complete", url, url);
}

/** A message to the extension's worker, sent from its popup (as the popup does). */
function ask(popup, message) {
  return popup.evaluate((m) => browser.runtime.sendMessage(m), message);
}

/** The fake site's page for one agent, loaded and ready. */
async function openAgent(site, agent) {
  await site.goto(`${SITE}/agents?type=${agent}`, { timeout: STEP });
  await site.waitForSelector("html[data-fake-ready='1']", { timeout: STEP });
}

/** Type a prompt and send it as a person does, by the send button or Enter (real input
 * events: the guard only takes trusted ones). */
async function submit(site, prompt, via = "click") {
  await site.$eval(PROMPT, (el) => {
    el.value = "";
  });
  await site.type(PROMPT, prompt);
  if (via === "click") await site.click(SEND);
  else await site.keyboard.press("Enter");
}

/** A guard dialog button ("go" or "cancel"), inside the dialog's shadow root. */
const button = (action) => `${DIALOG} >>> [data-action='${action}']`;

/** The text of an element inside a shadow host, or null when it is not there. */
function shadowText(site, host, selector) {
  return site.evaluate(
    (h, s) => document.querySelector(h)?.shadowRoot?.querySelector(s)?.innerText ?? null,
    host,
    selector,
  );
}

async function shoot(site, name) {
  await site.screenshot({ path: join(env.ARTIFACTS, name) });
}

/** Cancel the open dialog and wait until it is gone and a held send had time to leak. */
async function cancelDialog(site, result) {
  await site.click(button("cancel"));
  await site.waitForSelector(button("go"), { hidden: true, timeout: STEP });
  await pause(1000); // a send let through by mistake would reach the site by now
  result.marks.cancelled = now();
}

/** A video is held by the dialog: cancel sends nothing; go on sends it once. */
async function heldVideo({ site }, result, via) {
  await openAgent(site, "video_generation_agent");
  await submit(site, env.VIDEO_PROMPT, via);
  await site.waitForSelector(button("cancel"), { visible: true, timeout: STEP });
  result.marks.dialog = now();
  result.dialog_text = await shadowText(site, DIALOG, "[role='dialog']");
  if (via === "click") await shoot(site, "firefox-dialog-en.png");
  await cancelDialog(site, result);

  // The page restores earlier results: the job's end is one more of them.
  const results = await site.$$eval("img.result", (els) => els.length);
  await submit(site, env.VIDEO_PROMPT, via);
  await site.waitForSelector(button("go"), { visible: true, timeout: STEP });
  result.marks.go = now(); // before the click: the send it lets through can beat its promise
  await site.click(button("go"));
  await site.waitForFunction((n) => document.querySelectorAll("img.result").length > n, { timeout: STEP }, results);
  await pause(1000); // time for any duplicate
}

const SCENARIOS = {
  /** A chat message: light, so it passes with no dialog, exactly once. */
  async chat({ site }, result) {
    await openAgent(site, "ai_chat");
    await submit(site, env.CHAT_PROMPT);
    await site.waitForFunction(() => document.querySelector(".answer")?.textContent.includes("short answer"), {
      timeout: STEP,
    });
    await pause(1000); // time for a duplicate
    result.dialog = await site.evaluate((d) => Boolean(document.querySelector(d)), DIALOG);
  },

  held: (context, result) => heldVideo(context, result, "click"),
  held_enter: (context, result) => heldVideo(context, result, "enter"),

  /** The language setting ja: the dialog speaks Japanese; cancel still sends nothing. */
  async japanese({ site, popup }, result) {
    const set = await ask(popup, { kind: "config.set", language: "ja" });
    result.language = set?.global?.language ?? null;
    try {
      await openAgent(site, "video_generation_agent");
      await submit(site, env.VIDEO_PROMPT);
      await site.waitForSelector(button("cancel"), { visible: true, timeout: STEP });
      result.marks.dialog = now();
      result.dialog_text = await shadowText(site, DIALOG, "[role='dialog']");
      result.pace = await shadowText(site, DIALOG, "[data-fact='pace']");
      result.buttons = {
        cancel: await shadowText(site, DIALOG, "[data-action='cancel']"),
        go: await shadowText(site, DIALOG, "[data-action='go']"),
      };
      await shoot(site, "firefox-dialog-ja.png");
      await cancelDialog(site, result);
    } finally {
      await ask(popup, { kind: "config.set", language: "auto" }); // the next scenarios: English
    }
  },

  /** The site says the credits are used up while the tally has some: the trouble panel. */
  async trouble({ site }, result) {
    await openAgent(site, "ai_chat");
    const switched = await site.evaluate(async () => {
      const reply = await fetch("/__fake/state", { method: "POST", body: JSON.stringify({ exhausted: true }) });
      return (await reply.json()).exhausted;
    });
    if (switched !== true) throw new Error("the fake site did not switch to exhausted");
    result.marks.exhausted = now();
    await submit(site, "hello");
    await site.waitForFunction(
      (text) => document.querySelector(".error-message")?.textContent.includes(text),
      { timeout: STEP },
      env.EXHAUSTED_TEXT,
    );
    await site.waitForSelector(`${PANEL} >>> li[data-step]`, { visible: true, timeout: STEP });
    result.steps = await site.evaluate((p) => {
      const items = document.querySelector(p).shadowRoot.querySelectorAll("li[data-step]");
      return [...items].map((li) => [li.dataset.step, li.innerText]);
    }, PANEL);
    await shoot(site, "firefox-panel-exhausted.png");
  },
};

/** Until the helper's tally for the account holds the site's balance (the preflight can
 * only weigh a send for an account the helper knows). */
async function untilAccountKnown(popup) {
  const deadline = Date.now() + STEP;
  let last;
  while (Date.now() < deadline) {
    last = await ask(popup, { kind: "status" });
    const tally = (last.accounts || []).find((t) => t.account === env.ACCOUNT);
    if (tally && Number(tally.remaining) === Number(env.EXPECT_BALANCE)) return tally;
    await pause(250);
  }
  throw new Error(`the helper never knew ${env.ACCOUNT} at ${env.EXPECT_BALANCE}: ${JSON.stringify(last)}`);
}

async function main() {
  mkdirSync(env.ARTIFACTS, { recursive: true });
  const browser = await launchFirefox(env);
  try {
    report.steps.push({ name: "installed", id: await browser.installExtension(env.EXTENSION_DIR) });
    const popup = await browser.newPage();
    await openExtensionPage(popup, POPUP);
    await until(popup, () => document.querySelector("#helper-state")?.dataset.state === "connected", null, "the helper");
    const site = await browser.newPage();
    await openAgent(site, "ai_chat");
    await untilAccountKnown(popup);
    report.steps.push({ name: "account_known" });
    for (const [name, run] of Object.entries(SCENARIOS)) {
      const result = { marks: { start: now() } };
      report.scenarios[name] = result;
      try {
        await run({ site, popup }, result);
        result.ok = true;
      } catch (error) {
        result.ok = false;
        result.error = String(error && error.stack ? error.stack : error);
      }
      result.marks.end = now();
    }
  } finally {
    await browser.close();
  }
}

await runAndReport(main, report);
