/**
 * What the background remembers in storage.local, so a Chromium service worker
 * killed when idle comes back knowing the last tallies, the account in use, the
 * helper's settings and how many preflights went unanswered. Reads are cached in
 * memory for the worker's life; every change is written through at once.
 */

const KEYS = Object.freeze({
  tallies: "tallies",
  currentAccount: "current_account",
  missedPreflights: "missed_preflights",
  config: "helper_config",
});

/** The helper's global defaults (PROTOCOL.md `config.get`), until it is asked. */
const DEFAULT_CONFIG = Object.freeze({
  language: "auto",
  notifications: true,
  notify_thresholds: [50, 20, 10],
  reset_nudge: true,
});

/** @param {chrome.storage.StorageArea} storage  chrome.storage.local */
export function createBackgroundState(storage) {
  let loaded = null;

  function load() {
    loaded ??= storage.get(Object.values(KEYS)).then((stored) => ({
      tallies: stored[KEYS.tallies] ?? {},
      currentAccount: stored[KEYS.currentAccount] ?? null,
      missedPreflights: stored[KEYS.missedPreflights] ?? 0,
      config: stored[KEYS.config] ?? DEFAULT_CONFIG,
    }));
    return loaded;
  }

  async function update(name, change) {
    const values = await load();
    values[name] = change(values[name]);
    await storage.set({ [KEYS[name]]: values[name] });
    return values[name];
  }

  return {
    /** The latest tally of every account seen, by account. */
    tallies: async () => (await load()).tallies,
    /** Stores `tally` as its account's latest (and as the one changed last). */
    rememberTally: (tally) =>
      update("tallies", ({ [tally.account]: _previous, ...others }) => ({
        ...others,
        [tally.account]: tally,
      })),
    /** The account the pages are using now (the last one a content script named). */
    currentAccount: async () => (await load()).currentAccount,
    useAccount: async (account) => {
      if ((await load()).currentAccount !== account) await update("currentAccount", () => account);
    },
    /** The tally to show: the current account's, else the one changed last. */
    async currentTally() {
      const { tallies, currentAccount } = await load();
      return tallies[currentAccount] ?? Object.values(tallies).at(-1) ?? null;
    },
    missedPreflights: async () => (await load()).missedPreflights,
    countMissedPreflight: () => update("missedPreflights", (count) => count + 1),
    /** The helper's global settings (language, notifications, notify_thresholds…). */
    config: async () => (await load()).config,
    rememberConfig: (config) => update("config", () => ({ ...DEFAULT_CONFIG, ...config })),
  };
}
