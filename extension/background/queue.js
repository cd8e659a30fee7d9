/**
 * The durable outbox for `usage`, `balance` and `undo` events (docs/EXTENSION.md,
 * "Outbox"): an event is stored in storage.local before it is sent and removed
 * only once the helper acknowledges it, so a killed worker or an absent helper
 * loses nothing. Replays go in order, one at a time; the helper is idempotent by
 * event id, so an event sent twice (acknowledged, then killed before removal) counts once.
 */
import { EXTENSION_ERROR } from "../shared/messages.js";
import { HELPER_ERROR, buildRequest, newId } from "../shared/protocol.js";

export const OUTBOX_KEY = "outbox";
export const MAX_ENTRIES = 5_000;

/** Failures worth retrying later; any other error means the helper will never take it. */
const RETRY_LATER = new Set([
  EXTENSION_ERROR.HELPER_UNAVAILABLE,
  EXTENSION_ERROR.TIMEOUT,
  HELPER_ERROR.STORAGE,
]);

/** Acknowledged entries are removed in batches, not one storage write per event. */
const REMOVE_BATCH = 50;

/**
 * @param {object} options
 * @param {chrome.storage.StorageArea} options.storage  chrome.storage.local
 * @param {(request: object) => Promise<object>} options.send  the port's request()
 * @param {(reply: object, entry: object) => void} [options.onAck]  e.g. to show the tally
 */
export function createOutbox({ storage, send, onAck = () => {}, maxEntries = MAX_ENTRIES }) {
  let lock = Promise.resolve();
  let flushing = null;
  let again = false;

  /** Runs read-modify-write steps one after another (storage has no transactions). */
  function locked(step) {
    const run = lock.then(step);
    lock = run.catch(() => {});
    return run;
  }

  async function read() {
    const stored = await storage.get(OUTBOX_KEY);
    return stored[OUTBOX_KEY] ?? [];
  }

  function write(entries) {
    return storage.set({ [OUTBOX_KEY]: entries });
  }

  /** Over the bound: the oldest balance readings go first (later ones supersede them). */
  function bounded(entries) {
    let excess = entries.length - maxEntries;
    if (excess <= 0) return entries;
    console.warn(`Credit Guard: outbox full, dropping ${excess} oldest event(s)`);
    const kept = entries.filter((entry) => {
      if (excess > 0 && entry.type === "balance") {
        excess -= 1;
        return false;
      }
      return true;
    });
    return kept.slice(excess);
  }

  function remove(ids) {
    if (ids.size === 0) return Promise.resolve();
    return locked(async () => write((await read()).filter((entry) => !ids.has(entry.id))));
  }

  /** Sends what is stored, in order, until the outbox is empty or the helper is away. */
  async function drain() {
    const done = new Set();
    try {
      for (const entry of await read()) {
        const reply = await send(buildRequest(entry.type, entry.fields));
        if (!reply.ok && RETRY_LATER.has(reply.error?.code)) return;
        if (reply.ok) {
          onAck(reply, entry);
        } else {
          console.error(`Credit Guard: the helper refused a ${entry.type} event; dropped`, reply.error);
        }
        done.add(entry.id);
        if (done.size >= REMOVE_BATCH) {
          await remove(new Set(done));
          done.clear();
        }
      }
    } finally {
      await remove(done);
    }
  }

  /**
   * Replays the outbox; concurrent calls share one run (and trigger one more pass).
   * Never rejects: what was not delivered stays for the next replay.
   */
  function flush() {
    if (flushing) {
      again = true;
      return flushing;
    }
    flushing = (async () => {
      do {
        again = false;
        await drain();
      } while (again);
    })()
      .catch((error) => console.error("Credit Guard: outbox replay failed", error))
      .finally(() => {
        flushing = null;
      });
    return flushing;
  }

  /**
   * Stores a `usage`, `balance` or `undo` event (its helper fields) and starts sending it;
   * resolves once it is stored, not when it is delivered.
   */
  async function enqueue(type, fields) {
    await locked(async () =>
      write(bounded([...(await read()), { id: newId(), type, fields, queued_at: Date.now() }])),
    );
    flush();
  }

  return { enqueue, flush };
}
