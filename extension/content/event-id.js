/**
 * Usage event ids derived from what the site already numbers (task ids, project and
 * message ids, the request's fingerprint): the same operation seen again, after a reload
 * or on another device, gets the same id, and the helper counts it once.
 */

const NAMESPACE = "credit-guard/genspark/usage/";

/** A UUID (version 5 layout, SHA-256 based) for `key`; stable for the same key. */
export async function eventIdFor(key) {
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(NAMESPACE + key)),
  ).slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5: name-based
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
