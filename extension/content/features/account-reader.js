/**
 * account-reader: who is signed in. The e-mail comes from /api/user (the page's own call,
 * seen by the hook, else one read of our own); the site's status -5 means signed out,
 * and then nothing is guarded or sent.
 */
import { register } from "../registry.js";
import { normalizeAccount } from "../../shared/account.js";

/** How long the page gets to ask for /api/user itself before we ask once. */
const OWN_READ_DELAY_MS = 4000;
/** Endpoints documented to answer status -5 when signed out, besides /api/user. */
const SIGNED_OUT_TOO = new Set(["balance", "credit_history"]);

/**
 * The account an /api/user answer names: the e-mail in the helper's one spelling
 * (shared/account.js), null when signed out, undefined when unclear.
 */
export function accountFrom(rules, json) {
  if (!json || typeof json !== "object") return undefined;
  if (rules.isSignedOut(json)) return null;
  const email = rules.field("user", "email", json);
  if (typeof email !== "string" || email.length > 320) return undefined;
  return normalizeAccount(email) || undefined;
}

register({
  id: "account-reader",
  include: () => true,
  init(signal, context) {
    const take = (json) => {
      const account = accountFrom(context.rules, json);
      if (account !== undefined) context.setAccount(account);
    };
    context.on("json", ({ endpoint, json }) => endpoint === "user" && take(json), signal);
    // A signed-out balance answer says the same.
    context.on("json", ({ endpoint, json }) => {
      if (SIGNED_OUT_TOO.has(endpoint) && json && context.rules.isSignedOut(json)) context.setAccount(null);
    }, signal);

    const timer = setTimeout(async () => {
      if (context.account !== undefined || signal.aborted) return;
      try {
        const { json } = await context.readSite(context.rules.endpointPath("user"));
        if (!signal.aborted) take(json);
      } catch (error) {
        console.error("[credit-guard] could not read the account", error);
      }
    }, OWN_READ_DELAY_MS);
    signal.addEventListener("abort", () => clearTimeout(timer));
  },
});

/* Test URLs: https://www.genspark.ai/ https://www.genspark.ai/agents?type=ai_chat */
