import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { isEmailAccount, normalizeAccount } from "../../extension/shared/account.js";

/** The same table tests/test_accounts.py feeds to the helper's rule. */
const TABLE = JSON.parse(readFileSync(new URL("../fixtures/account-names.json", import.meta.url), "utf8"));

test("the shared table has the cases the issue measured", () => {
  const inputs = TABLE.cases.map((row) => row.input);
  for (const measured of [" me@example.com ", "ME@Example.com", "a\u200b@x"]) assert.ok(inputs.includes(measured));
});

for (const row of TABLE.cases) {
  test(`account names: ${row.case}`, () => {
    assert.equal(normalizeAccount(row.input), row.account);
    assert.equal(normalizeAccount(row.account), row.account, "normalizing twice changes nothing");
    assert.equal(isEmailAccount(row.account), row.email);
  });
}
