/**
 * How to install the helper when the browser cannot start it: the commands to run,
 * with this extension's own id so the helper's manifest lets exactly this build in.
 */

/** Firefox add-on ids look like e-mail addresses; Chromium ids are 32 letters a–p. */
export function isFirefoxId(extensionId) {
  return extensionId.includes("@");
}

/**
 * The two ways to install, from the project folder or with the installed CLI.
 * @param {string|undefined} extensionId chrome.runtime.id
 * @returns {{script: string, cli: string}}
 */
export function installCommands(extensionId) {
  const id = extensionId || "<extension-id>";
  const option = extensionId && isFirefoxId(extensionId) ? "--firefox-id" : "--extension-id";
  return {
    script: "bash build_scripts/install.sh",
    cli: `credit-guard install ${option} ${id}`,
  };
}
