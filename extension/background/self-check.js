/**
 * Keeps the self-check's loads (content/features/self-check.js) in storage.local, one
 * write at a time: several Genspark tabs report at once, and a load updates its own
 * record when something happens after it settled. Only what shared/self-check.js's
 * cleanLoad lets through is stored: outcomes and shapes, never a value.
 */
import { SELF_CHECK_KEY, cleanLoad, withLoad } from "../shared/self-check.js";

/** @param {chrome.storage.StorageArea} storage */
export function createSelfCheckStore(storage) {
  let writing = Promise.resolve();

  async function loads() {
    const stored = (await storage.get(SELF_CHECK_KEY))[SELF_CHECK_KEY];
    return Array.isArray(stored?.loads) ? stored.loads : [];
  }

  return {
    /** Stores one load (replacing its earlier record); false when it is not a load. */
    record(load) {
      const clean = cleanLoad(load);
      if (!clean) return Promise.resolve(false);
      writing = writing
        .catch(() => {}) // one failed write must not stop the next ones
        .then(async () => storage.set({ [SELF_CHECK_KEY]: { loads: withLoad(await loads(), clean) } }))
        .then(() => true);
      return writing;
    },

    /** The kept loads, oldest first. */
    async read() {
      await writing.catch(() => {});
      return loads();
    },
  };
}
