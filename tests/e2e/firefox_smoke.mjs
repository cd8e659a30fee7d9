// Firefox ESR smoke run, driven by puppeteer-core over WebDriver BiDi; started by
// tests/e2e/test_firefox.py, which reads the JSON report this prints on its last line.
//
// It installs the extension (the Firefox build) as a temporary add-on, opens the popup at a
// pinned moz-extension:// address, waits for the helper to be connected, asks the worker
// for the status, then visits the fake Genspark (through the fake's CONNECT proxy, which
// refuses every other host) and waits for the balance to reach the popup. Each step is
// recorded in the report, so a failure says how far it got instead of only timing out.
//
// No viewport emulation: puppeteer's default viewport is off and the popup's screenshots
// are of its body (380 px wide, as in the browser's popup). Its setViewport also sends emulation.setScreenOrientationOverride,
// which Firefox ESR 140 does not know, so the run could fail for a reason outside the
// product (test_firefox.py checks that no emulation command is sent).
//
// Environment: what devkit/firefox.mjs reads (devkit.browsers.firefox_environment sets
// it), EXPECT_BALANCE, STEP_TIMEOUT_MS; optionally FORGE_HOOK_MESSAGES (a page script forging
// the page hook's messages, run on the site with FORGED_BALANCE and EXHAUSTED_TEXT).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { POPUP, launchFirefox, runAndReport } from "../../devkit/firefox.mjs";

const env = process.env;
const STEP = Number(env.STEP_TIMEOUT_MS || 15000);
const lang = env.LANG_UI || "en";
const report = { steps: [], ok: false };

function step(name, details = {}) {
  report.steps.push({ name, ...details });
}

/**
 * Poll fn(arg) in the page until it returns something truthy (bounded by STEP). Puppeteer's
 * own waitForSelector and navigation tracking do not see moz-extension:// pages over BiDi
 * (Firefox 153), while plain evaluate does.
 */
async function until(page, fn, arg, what) {
  const deadline = Date.now() + STEP;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (error) {
      last = String(error); // mid-navigation: the context is being replaced
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out after ${STEP} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** A screenshot of the popup as the browser shows it: its body, without emulation. */
async function shootPopup(page, name) {
  const body = await page.$("body");
  await body.screenshot({ path: join(env.ARTIFACTS, name) });
}

/** Open an extension page: the navigation is started, then its document is awaited. */
async function openExtensionPage(page, url) {
  page.goto(url, { timeout: STEP }).catch(() => {}); // the load event never reaches puppeteer
  await until(page, (u) => location.href === u && document.readyState === "complete", url, url);
}

async function main() {
  mkdirSync(env.ARTIFACTS, { recursive: true });
  const browser = await launchFirefox(env);
  try {
    const version = await browser.version();
    step("launched", { version });
    const id = await browser.installExtension(env.EXTENSION_DIR);
    step("installed", { id });

    const popup = await browser.newPage();
    await openExtensionPage(popup, POPUP);
    step("popup_opened", { title: await popup.evaluate(() => document.title) });
    const helperState = () => {
      const el = document.querySelector("#helper-state");
      return el && el.dataset.state !== "connecting" ? [el.dataset.state, el.textContent] : null;
    };
    const [state, stateText] = await until(popup, helperState, null, "the helper state");
    step(state === "connected" ? "helper_connected" : "helper_not_connected", {
      state,
      text: stateText.trim(),
    });
    const status = await popup.evaluate(() => browser.runtime.sendMessage({ kind: "status" }));
    step("status", { ok: status.ok, device_id: status.device_id, helper: status.helper });
    await shootPopup(popup, `firefox-popup-${lang}.png`);
    report.ok = state === "connected"; // the smoke part: loaded, helper connected, popup rendered

    const site = await browser.newPage();
    await site.goto("https://www.genspark.ai/agents?type=ai_chat");
    await site.waitForSelector("html[data-fake-ready='1']", { timeout: STEP });
    step("site_loaded", { balance: await site.$eval(".credit-balance", (el) => el.textContent) });

    if (env.FORGE_HOOK_MESSAGES) {
      // A page script forging the hook's messages: nothing of it may reach the helper.
      const args = [Number(env.FORGED_BALANCE), env.EXHAUSTED_TEXT ?? ""].map((arg) => JSON.stringify(arg));
      const taken = await site.evaluate(`(${env.FORGE_HOOK_MESSAGES})(${args.join(", ")})`);
      await new Promise((resolve) => setTimeout(resolve, 3000)); // past the trouble watch's settling
      step("forged", { taken, panel: await site.evaluate(() => Boolean(document.querySelector("#credit-guard-panel"))) });
    }

    await openExtensionPage(popup, POPUP);
    const remaining = await until(
      popup,
      (text) => {
        const shown = document.querySelector("#remaining")?.textContent || "";
        return shown.includes(text) ? shown.trim() : null;
      },
      String(env.EXPECT_BALANCE || ""),
      "the site's balance in the popup's #remaining",
    );
    step("balance_in_popup", { remaining });
    await shootPopup(popup, `firefox-popup-balance-${lang}.png`);
  } finally {
    await browser.close();
  }
}

await runAndReport(main, report);
