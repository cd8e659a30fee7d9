/** The site's instants, read as the helper's timestamps (shared/protocol.js isoMillis). */
import { isoMillis } from "../shared/protocol.js";

const EARLIEST = Date.UTC(2020, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function inRange(ms) {
  return ms >= EARLIEST && ms < LATEST ? isoMillis(ms) : null;
}

/**
 * The site's instant (epoch seconds or milliseconds, or a date-time string that names its
 * offset) as isoMillis; null when it cannot be read without guessing a time zone, or
 * lies outside the helper's 2020–2100.
 */
export function siteInstant(value) {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    return inRange(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value === "string" && /(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : inRange(ms);
  }
  return null;
}
