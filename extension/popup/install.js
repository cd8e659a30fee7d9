/**
 * How to install the helper when the browser cannot start it, for someone who installed
 * an extension and has never opened a terminal: what to do on their operating system,
 * step by step, with the one command to paste (carrying this extension's own id, so the
 * helper's manifest lets exactly this build in); the popup links to the guide's install
 * page beside them (popup/guide.js).
 */

/** The operating systems the steps are written for, in the order the popup lists them. */
export const INSTALL_OSES = Object.freeze(["windows", "macos", "linux"]);

/** Firefox add-on ids look like e-mail addresses; Chromium ids are 32 letters a–p. */
export function isFirefoxId(extensionId) {
  return extensionId.includes("@");
}

/**
 * The steps' operating system from chrome.runtime.getPlatformInfo()'s `os` ("win",
 * "mac", "linux", "cros", "openbsd"…), else from navigator.platform ("Win32",
 * "MacIntel", "Linux x86_64"); Linux's steps suit every other Unix.
 */
export function installOs(platformOs, navigatorPlatform = "") {
  const name = String(platformOs || navigatorPlatform).toLowerCase();
  if (name.startsWith("win")) return "windows";
  if (name.startsWith("mac")) return "macos";
  return "linux";
}

function idOption(extensionId) {
  const id = extensionId || "<extension-id>";
  return `${extensionId && isFirefoxId(extensionId) ? "--firefox-id" : "--extension-id"} ${id}`;
}

/**
 * The steps for `os`, each a catalog key, the one that runs the install with its
 * command; and `cli`, the command that registers again with an installed helper.
 * @param {"windows"|"macos"|"linux"} os
 * @param {string|undefined} extensionId chrome.runtime.id
 * @returns {{steps: Array<{key: string, command?: string}>, cli: string}}
 */
export function installGuide(os, extensionId) {
  const option = idOption(extensionId);
  const command = os === "windows"
    ? `py -m venv .venv; .venv\\Scripts\\python -m pip install .; .venv\\Scripts\\credit-guard install ${option}`
    : `bash build_scripts/install.sh ${option}`;
  return {
    steps: [
      { key: `popup_install_python_${os}` },
      { key: "popup_install_get" },
      { key: `popup_install_terminal_${os}` },
      { key: "popup_install_run", command },
      { key: "popup_install_after" },
    ],
    cli: `credit-guard install ${option}`,
  };
}
