// Firefox with the extension, for the development harness (devkit/browsers.py): the one
// place Firefox is launched. puppeteer-core over WebDriver BiDi; the caller's environment
// (devkit.browsers.firefox_environment) names everything.
//
// No viewport emulation: puppeteer's default viewport is off. Its setViewport also sends
// emulation.setScreenOrientationOverride, which Firefox ESR 140 does not know, so a run
// could fail for a reason outside the product.
//
// Environment: FIREFOX, ADDON_ID, EXTENSION_DIR (the Firefox build), PROXY_PORT (the fake
// site's CONNECT proxy), PROFILE_DIR, HOME (with the helper registered under
// HOME/.mozilla/native-messaging-hosts), LANG_UI (en|ja).
import puppeteer from "puppeteer-core";

const UUID = "5a0e2e6f-5b1d-4c1a-9a57-3c1f2f0e9c11"; // pinned: the popup's address is known
export const POPUP = `moz-extension://${UUID}/popup/popup.html`;

/** Firefox, headless, on a fresh profile whose only way out is the fake site's proxy;
 * install the extension with `browser.installExtension(env.EXTENSION_DIR)`. */
export async function launchFirefox(env) {
  for (const name of ["FIREFOX", "ADDON_ID", "EXTENSION_DIR", "PROXY_PORT", "PROFILE_DIR"]) {
    if (!env[name]) throw new Error(`${name} is not set`);
  }
  const lang = env.LANG_UI || "en";
  return puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: env.FIREFOX,
    headless: true,
    acceptInsecureCerts: true, // the fake's self-signed certificate for www.genspark.ai
    userDataDir: env.PROFILE_DIR,
    timeout: 60000,
    defaultViewport: null, // no emulation on newPage (see the top of this file)
    // Firefox 153+ lets WebDriver navigate to moz-extension:// pages only with this.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify({ [env.ADDON_ID]: UUID }),
      "network.proxy.type": 1,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": Number(env.PROXY_PORT),
      "network.proxy.http": "127.0.0.1",
      "network.proxy.http_port": Number(env.PROXY_PORT),
      "network.proxy.no_proxies_on": "",
      "network.dns.disablePrefetch": true,
      "intl.locale.requested": lang === "ja" ? "ja" : "en-US",
      "intl.accept_languages": lang === "ja" ? "ja" : "en-US",
    },
  });
}

/** Run a scenario script's `main`, then print its `report` as JSON on the last line
 * (what the test reads), with the error that stopped it, if any. */
export async function runAndReport(main, report) {
  try {
    await main();
  } catch (error) {
    report.error = String(error && error.stack ? error.stack : error);
  }
  console.log(JSON.stringify(report));
}
