/**
 * The few places where Chromium and Firefox differ, for the background.
 */

/** Firefox has `browser.runtime.getBrowserInfo`; Chromium browsers do not. */
export function isFirefox() {
  return typeof globalThis.browser?.runtime?.getBrowserInfo === "function";
}

/** Brand names Chromium browsers report in navigator.userAgentData → hello's `browser`. */
const CHROMIUM_BRANDS = [
  ["Microsoft Edge", "edge"],
  ["Brave", "brave"],
  ["Opera", "opera"],
  ["Vivaldi", "vivaldi"],
  ["Google Chrome", "chrome"],
];

/** A short browser name for the helper's log and the popup. */
export function browserName() {
  if (isFirefox()) return "firefox";
  const brands = globalThis.navigator?.userAgentData?.brands?.map(({ brand }) => brand) ?? [];
  return CHROMIUM_BRANDS.find(([brand]) => brands.includes(brand))?.[1] ?? "chromium";
}

/** Reads a JSON file shipped in the extension (locales, site rules). */
export async function readExtensionJson(path) {
  const response = await fetch(chrome.runtime.getURL(path));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}
