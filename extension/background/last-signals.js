/**
 * The trouble signals each account's Genspark page last sent with `diagnose`. The popup
 * cannot see the page, so its "Something's wrong?" sends empty signals; the background
 * then diagnoses with what the page saw. A service worker forgets its memory when idle,
 * so they are stored: in storage.session when the browser has it (cleared when the
 * browser closes, never written to disk), else storage.local. Signals older than
 * SIGNALS_MAX_AGE_MS no longer describe the page and are forgotten.
 */

export const LAST_SIGNALS_KEY = "last_signals";
export const SIGNALS_MAX_AGE_MS = 30 * 60_000;

/** True for a signals object that says anything (the popup sends `{}` or nothing). */
export function hasSignals(signals) {
  return Boolean(signals) && typeof signals === "object" && Object.keys(signals).length > 0;
}

/**
 * @param {{session?: chrome.storage.StorageArea, local: chrome.storage.StorageArea}} storageAreas  chrome.storage
 * @param {() => number} now  epoch milliseconds
 */
export function createLastSignals(storageAreas, now = Date.now) {
  const storage = storageAreas.session ?? storageAreas.local;

  /** The stored {account: {signals, seen_at}}, without the entries too old to use (they
   * leave storage at the next write). */
  async function fresh() {
    const stored = (await storage.get(LAST_SIGNALS_KEY))[LAST_SIGNALS_KEY] ?? {};
    const oldest = now() - SIGNALS_MAX_AGE_MS;
    return Object.fromEntries(Object.entries(stored).filter(([, { seen_at }]) => seen_at >= oldest));
  }

  let writing = Promise.resolve();

  /** Stores `signals` as the account's latest, dropping stale entries; one write at a time. */
  function remember(account, signals) {
    writing = writing.then(async () => {
      const remembered = await fresh();
      remembered[account] = { signals, seen_at: now() };
      await storage.set({ [LAST_SIGNALS_KEY]: remembered });
    });
    return writing;
  }

  return {
    /**
     * The signals to diagnose `account` with: `signals` when they say anything (then
     * remembered, with the time), else the account's remembered ones, else `signals`.
     */
    async use(account, signals) {
      if (hasSignals(signals)) {
        await remember(account, signals);
        return signals;
      }
      await writing;
      return (await fresh())[account]?.signals ?? signals;
    },
  };
}
