// The popup's Devices tab: the flows over a scripted helper (a fake `send`), drawn into
// a small DOM, clicked and typed into as a user would.
import assert from "node:assert/strict";
import { test } from "node:test";

import { installDocument } from "./fakes/dom.js";
import {
  createDevices, devicesView, renderDevices, problem, fieldOf, qrSource, deviceName, isHubUrl, SYNC_STATE,
} from "../../extension/popup/devices.js";

const document = installDocument();
const t = (key, subs = []) => `${key}(${subs.join("|")})`;
const NOW = Date.parse("2026-12-03T05:00:00Z");
const THIS = { id: "94bb4ffa-36d0-4f70-b3c6-4ae7a4a350bd", name: "Desktop" };
const LAPTOP = { id: "5b1c0e7e-0000-4000-8000-000000000001", name: "Laptop", last_event_at: "2026-12-03T01:02:03.456Z" };
const PHONE = { id: "0c0ffee0-0000-4000-8000-000000000002", name: "", last_event_at: null };
const TABLET = { id: "7ab1e700-0000-4000-8000-000000000003", name: "Tablet", last_event_at: "2026-12-03T04:00:00.000Z" };
const CODE = "1000G-40R40-M30E2-09185-GR38E-1W812-4GK2G-AHC5R-R34D1-P70X3-RFG02-XT9";
const FOLDER_NEEDED = "このグループは共有フォルダで同期します。この端末でのフォルダのパスも指定してください。";
const SVG = '<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="29" height="29"><path d="M4 4h7"/></svg>';

/** The helper's sync status (PROTOCOL.md), unpaired. */
const OFF = {
  state: "off", transport: null, hub_url: null, folder: null, group: null,
  this_device: THIS, devices: [], last_sync_at: null, last_error: null,
};
/** …paired through a hub, synced a minute ago. */
const HUB = {
  ...OFF, state: "ok", transport: "hub", hub_url: "wss://hub.example.org:8765", group: "8ea0bcf7",
  devices: [LAPTOP, PHONE, TABLET], last_sync_at: "2026-12-03T04:59:00.000Z",
};

/**
 * A tab wired as popup.js wires it, over a helper that answers `answers[kind](fields)`;
 * `sent` records every request. Each answer may be a promise (to look at the busy state).
 */
function tab(answers) {
  const sent = [];
  const root = document.createElement("div");
  const live = document.createElement("p");
  document.body.replaceChildren(root, live);
  let synced = 0;
  const controller = createDevices({
    send: async (kind, fields) => {
      sent.push({ kind, ...fields });
      const answer = answers[kind];
      return answer ? answer(fields) : { ok: false, error: { code: "helper_unavailable" } };
    },
    onChange: (model) => renderDevices(root, live, devicesView(model), { t, lang: "en", nowMs: NOW, controller }),
    onSynced: () => { synced += 1; },
  });
  const $ = (selector) => root.querySelector(selector);
  const action = (name) => $(`[data-sync-action="${name}"]`);
  const type = (field, value) => {
    const input = $(`[data-field="${field}"]`);
    input.value = value;
    input.dispatch("input");
  };
  return { controller, root, live, sent, $, action, type, synced: () => synced, focused: () => document.activeElement };
}

const ok = (fields) => () => ({ ok: true, ...fields });
/** Lets the awaited replies and redraws run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("unpaired: the state says so, and the tab offers to pair or join", async () => {
  const { controller, root, $, action, sent } = tab({ "sync.status": ok({ sync: OFF }) });
  await controller.load();
  assert.deepEqual(sent, [{ kind: "sync.status" }]);
  assert.equal(root.getAttribute("data-sync-state"), "off");
  assert.equal($(".sync-state").textContent, "popup_sync_state_off()");
  assert.ok(action("pair") && action("join"));
  assert.equal(action("sync-now"), null);
  assert.equal(action("leave"), null);
  assert.equal(action("pair").tagName, "BUTTON", "buttons, not links");
});

test("pair through a hub: a wrong address is caught here, a good one shows the code and its QR", async () => {
  const pairs = [];
  const { controller, $, action, type, sent, live, focused } = tab({
    "sync.status": ok({ sync: OFF }),
    "sync.pair": (fields) => { pairs.push(fields); return { ok: true, sync: { ...HUB, devices: [] }, code: CODE, qr_svg: SVG }; },
  });
  await controller.load();
  action("pair").click();
  assert.equal(focused().getAttribute("data-focus"), "transport-hub", "focus goes to the first choice");
  assert.ok($('[data-field="hub_url"]'));
  assert.equal($("label[for=sync-hub-url]").textContent, "popup_sync_hub_url()", "the field has a label");

  type("hub_url", "https://hub.example.org");
  action("pair-submit").click();
  await settle();
  assert.equal(pairs.length, 0, "nothing is sent for an address the code cannot carry");
  assert.equal($("[data-error-for=hub_url]").textContent, "popup_sync_error_hub_url()");
  assert.equal($('[data-field="hub_url"]').getAttribute("aria-invalid"), "true");
  assert.equal($('[data-field="hub_url"]').getAttribute("aria-describedby"), "sync-hub_url-error");
  assert.equal($('[data-field="hub_url"]').value, "https://hub.example.org", "what was typed stays");
  assert.equal(focused().getAttribute("data-focus"), "hub_url");

  type("hub_url", "  wss://hub.example.org:8765 ");
  action("pair-submit").click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.pair", hub_url: "wss://hub.example.org:8765" });
  assert.equal($("#pairing-code").textContent, CODE);
  assert.equal($("#pairing-code").getAttribute("tabindex"), "0", "the code can be reached and selected");
  assert.equal($('[data-copy="pairing-code"]').tagName, "BUTTON");
  const qr = $("img.pairing-qr");
  assert.equal(qr.getAttribute("alt"), "popup_sync_qr_alt()");
  assert.equal(qr.getAttribute("src"), qrSource(SVG));
  assert.equal(decodeURIComponent(qr.getAttribute("src").split(",").slice(1).join(",")), SVG);
  assert.equal(focused().getAttribute("id"), "pairing-code");
  assert.equal(live.textContent, "popup_sync_paired()");
  assert.ok(action("sync-now"), "now paired");
});

test("pair through a folder: the choice swaps the field, the path is sent", async () => {
  const { controller, $, action, type, sent } = tab({
    "sync.status": ok({ sync: OFF }),
    "sync.pair": ok({ sync: { ...HUB, transport: "folder", hub_url: null, folder: "/home/me/Sync" }, code: CODE, qr_svg: SVG }),
  });
  await controller.load();
  action("pair").click();
  $('input[value="folder"]').dispatch("change");
  assert.equal($('[data-field="hub_url"]'), null);
  assert.equal($('input[value="folder"]').checked, true);
  action("pair-submit").click();
  await settle();
  assert.equal($("[data-error-for=folder]").textContent, "popup_sync_error_folder()");
  type("folder", "/home/me/Sync");
  action("pair-submit").click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.pair", folder: "/home/me/Sync" });
  assert.equal($(".sync-transport").textContent, "popup_sync_through_folder(/home/me/Sync)");
});

test("join: a folder code asks for the path (the helper says so), then joins and asks for the tally", async () => {
  const { controller, $, action, type, sent, live, focused, synced } = tab({
    "sync.status": ok({ sync: OFF }),
    "sync.join": (fields) => (fields.folder
      ? { ok: true, sync: { ...HUB, transport: "folder", hub_url: null, folder: fields.folder } }
      : { ok: false, error: { code: "invalid", message: FOLDER_NEEDED, params: { problems: [{ field: "folder", problem: "in English" }] } } }),
  });
  await controller.load();
  action("join").click();
  assert.equal(focused().getAttribute("data-focus"), "code");
  assert.equal($('[data-field="folder"]'), null, "no folder field until it is needed");
  type("code", ` ${CODE} `);
  action("join-submit").click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.join", code: CODE });
  assert.equal($('[data-field="join_folder"]').checked, true);
  assert.equal($("[data-error-for=folder]").textContent, FOLDER_NEEDED, "the helper's words, in the popup's language");
  assert.equal(focused().getAttribute("data-focus"), "folder");
  assert.equal($('[data-field="code"]').value, ` ${CODE} `, "the code stays as typed");

  type("folder", "D:\\Dropbox\\Credit Guard");
  action("join-submit").click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.join", code: CODE, folder: "D:\\Dropbox\\Credit Guard" });
  assert.equal(live.textContent, "popup_sync_joined()");
  assert.equal(synced(), 1);
  assert.equal(focused().getAttribute("data-focus"), "sync-now");
});

test("join: the user says the code is for a folder; a mistyped code is refused beside the field", async () => {
  const { controller, $, action, type, sent } = tab({
    "sync.status": ok({ sync: OFF }),
    "sync.join": () => ({ ok: false, error: { code: "pairing_code", message: "Der Code ist vertippt (Zeichen 12).", params: { reason: "checksum", position: 12 } } }),
  });
  await controller.load();
  action("join").click();
  action("join-submit").click();
  await settle();
  assert.equal(sent.length, 1, "an empty code is not sent");
  assert.equal($("[data-error-for=code]").textContent, "popup_sync_error_code_empty()");
  const box = $('[data-field="join_folder"]');
  box.checked = true;
  box.dispatch("change");
  type("code", CODE);
  type("folder", "/srv/sync");
  action("join-submit").click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.join", code: CODE, folder: "/srv/sync" });
  assert.equal($("[data-error-for=code]").textContent, "Der Code ist vertippt (Zeichen 12).", "the helper's words, as it wrote them");
  assert.equal($('[data-field="code"]').getAttribute("aria-invalid"), "true");
});

test("paired: state, transport, this device's name, the others newest first", async () => {
  const { controller, $, root } = tab({ "sync.status": ok({ sync: HUB }) });
  await controller.load();
  assert.equal(root.getAttribute("data-sync-state"), "ok");
  assert.match($(".sync-state").textContent, /^popup_sync_state_ok\(\d\d:\d\d\)$/);
  assert.equal($(".sync-transport").textContent, "popup_sync_through_hub(wss://hub.example.org:8765)");
  assert.equal($('[data-field="name"]').value, "Desktop");
  assert.equal($("label[for=sync-name]").textContent, "popup_sync_this_device()");
  const rows = root.querySelectorAll("li[data-device]");
  assert.deepEqual(rows.map((row) => row.getAttribute("data-device")), [TABLET.id, LAPTOP.id, PHONE.id]);
  assert.equal(rows[2].querySelector(".label").textContent, "0c0ffee0", "a device without a name: its id's start");
  assert.match(rows[0].textContent, /popup_sync_last_seen\(\d\d:\d\d\)/);
  assert.equal(rows[2].querySelector(".value").textContent, "popup_sync_never_seen()");
  for (const name of ["sync-now", "show-code", "leave"]) assert.ok(root.querySelector(`[data-sync-action="${name}"]`), name);
  assert.equal(root.querySelector('[data-sync-action="pair"]'), null);
});

test("sync now: busy (and deaf to a second click) while it runs, then what it did", async () => {
  let finish;
  const { controller, action, live, root, sent, synced } = tab({
    "sync.status": ok({ sync: HUB }),
    "sync.now": () => new Promise((resolve) => { finish = resolve; }),
  });
  await controller.load();
  action("sync-now").focus();
  action("sync-now").click();
  assert.equal(live.textContent, "popup_sync_busy_now()");
  assert.equal(root.getAttribute("aria-busy"), "true");
  assert.equal(action("sync-now").getAttribute("aria-disabled"), "true");
  assert.equal(document.activeElement, action("sync-now"), "focus stays on the button across the redraw");
  action("sync-now").click();
  action("leave").click();
  assert.equal(sent.filter(({ kind }) => kind === "sync.now").length, 1);
  assert.equal(root.querySelector(".confirm"), null);
  finish({ ok: true, sync: HUB, exchanged: { sent: 2, received: 3, refused: 0 } });
  await settle();
  assert.equal(live.textContent, "popup_sync_done(2|3)");
  assert.equal(root.getAttribute("aria-busy"), "false");
  assert.equal(synced(), 1, "events arrived: the tally is asked again");
});

test("sync now fails: the helper's reason, and the state line shows the error", async () => {
  const failedSync = { ...HUB, state: "error", last_error: { reason: "unreachable", message: "The hub does not answer." } };
  let calls = 0;
  const { controller, action, live, $, synced } = tab({
    "sync.status": () => ({ ok: true, sync: calls++ ? failedSync : HUB }),
    "sync.now": () => ({ ok: false, error: { code: "sync_failed", message: "The hub does not answer.", params: { reason: "unreachable" } } }),
  });
  await controller.load();
  action("sync-now").click();
  await settle();
  assert.equal(live.textContent, "The hub does not answer.");
  assert.equal($(".sync-state").textContent, "popup_sync_state_error(The hub does not answer.)");
  assert.equal($(".sync-state").getAttribute("data-sync-state"), SYNC_STATE.ERROR);
  assert.equal(synced(), 0);
});

test("sync now with refused events says how many were left out", async () => {
  const { controller, action, live } = tab({
    "sync.status": ok({ sync: HUB }),
    "sync.now": ok({ sync: HUB, exchanged: { sent: 0, received: 1, refused: 2 } }),
  });
  await controller.load();
  action("sync-now").click();
  await settle();
  assert.equal(live.textContent, "popup_sync_done_refused(0|1|2)");
});

test("leave asks first; Cancel sends nothing, Stop syncing leaves", async () => {
  const { controller, action, $, root, sent, live } = tab({
    "sync.status": ok({ sync: HUB }),
    "sync.leave": ok({ sync: OFF }),
  });
  await controller.load();
  action("leave").click();
  const question = $(".confirm");
  assert.equal(question.getAttribute("role"), "alertdialog");
  assert.equal(question.getAttribute("aria-label"), "confirm_sync_leave_title()");
  assert.equal(document.activeElement, $('[data-confirm="no"]'), "the safe answer has the focus");
  $('[data-confirm="no"]').click();
  assert.equal($(".confirm"), null);
  assert.equal(document.activeElement, action("leave"), "back where it was asked");
  assert.equal(sent.some(({ kind }) => kind === "sync.leave"), false);

  action("leave").click();
  $('[data-confirm="yes"]').click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.leave" });
  assert.equal(root.getAttribute("data-sync-state"), "off");
  assert.equal(live.textContent, "popup_sync_left()");
  assert.equal(document.activeElement, action("pair"));
});

test("show the pairing code again, then hide it", async () => {
  const { controller, action, $, sent } = tab({
    "sync.status": ok({ sync: HUB }),
    "sync.pair": ok({ sync: HUB, code: CODE, qr_svg: SVG }),
  });
  await controller.load();
  action("show-code").click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.pair" }, "no arguments: the group's code");
  assert.equal($("#pairing-code").textContent, CODE);
  action("hide-code").click();
  assert.equal($("#pairing-code"), null);
  assert.equal(document.activeElement, action("show-code"));
});

test("rename: trimmed, 1 to 40 characters, saved with sync.name", async () => {
  const { controller, action, $, type, sent, live } = tab({
    "sync.status": ok({ sync: HUB }),
    "sync.name": (fields) => ({ ok: true, sync: { ...HUB, this_device: { ...THIS, name: fields.name } } }),
  });
  await controller.load();
  type("name", "   ");
  action("rename").click();
  await settle();
  assert.equal(sent.length, 1);
  assert.equal($("[data-error-for=name]").textContent, "popup_sync_error_name(40)");
  type("name", "  仕事用ノート  ");
  action("rename").click();
  await settle();
  assert.deepEqual(sent.at(-1), { kind: "sync.name", name: "仕事用ノート" });
  assert.equal($('[data-field="name"]').value, "仕事用ノート");
  assert.equal(live.textContent, "popup_sync_renamed(仕事用ノート)");
});

test("no helper, or one without sync: the tab says so instead of the controls", async () => {
  const none = tab({});
  await none.controller.load();
  assert.equal(none.$(".empty").textContent, "popup_sync_no_helper()");
  assert.equal(none.action("pair"), null);
  const old = tab({ "sync.status": () => ({ ok: false, error: { code: "unknown_type", message: "unknown request type 'sync.status'" } }) });
  await old.controller.load();
  assert.equal(old.$(".empty").textContent, "popup_sync_old_helper()");
});

test("fieldOf: the field an error is about, only among the form's own", () => {
  const invalid = (field) => ({ code: "invalid", message: "…", params: { problems: [{ field, problem: "…" }] } });
  assert.equal(fieldOf(invalid("folder"), ["code", "folder"]), "folder");
  assert.equal(fieldOf(invalid("name"), ["code", "folder"]), null);
  assert.equal(fieldOf({ code: "pairing_code", message: "…" }, ["code"]), "code");
  assert.equal(fieldOf({ code: "pairing_code", message: "…" }, []), null);
  assert.equal(fieldOf({ code: "sync_failed", message: "…", params: { reason: "unreachable" } }, ["code"]), null);
});

test("problem: the helper's words only where it wrote them for people", () => {
  assert.deepEqual(problem({ code: "keyring", message: "キーリングが使えません。" }), { text: "キーリングが使えません。" });
  assert.deepEqual(problem({ code: "timeout" }), { key: "popup_sync_timeout", subs: [] });
  assert.deepEqual(problem({ code: "invalid", message: "name: too long" }), { key: "popup_sync_rejected", subs: ["name: too long"] });
  assert.deepEqual(problem({ code: "storage", message: "disk full" }), { key: "popup_sync_error_code", subs: ["storage"] });
});

test("stale and never-synced states have their own lines", () => {
  const view = (sync) => devicesView({ ...createDevices({ send: async () => ({ ok: true }) }).model, sync });
  assert.equal(view({ ...HUB, state: "stale" }).stateLine.key, "popup_sync_state_stale");
  assert.equal(view({ ...HUB, state: "stale", last_sync_at: null }).stateLine.key, "popup_sync_state_stale_never");
  assert.equal(view({ ...HUB, last_sync_at: null }).stateLine.key, "popup_sync_state_ok_never");
  assert.equal(view({ ...HUB, state: "error", last_error: { reason: "tls", message: "" } }).stateLine.subs[0], "tls");
  assert.equal(view(OFF).paired, false);
});

test("the QR code only as an image of SVG text; names and addresses checked as the helper does", () => {
  assert.equal(qrSource("<script>alert(1)</script>"), null);
  assert.equal(qrSource(null), null);
  assert.match(qrSource('<svg xmlns="http://www.w3.org/2000/svg"/>'), /^data:image\/svg\+xml;charset=utf-8,%3Csvg%20/);
  const image = (svg) => decodeURIComponent(qrSource(svg).split(",").slice(1).join(","));
  assert.equal(image('<svg width="100" class="segno"><path d="M0 0"/></svg>'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" class="segno"><path d="M0 0"/></svg>',
    "segno's inline SVG has no namespace, without which an <img> shows nothing");
  assert.equal(image(SVG), SVG, "one namespace is enough");
  assert.equal(qrSource("<svgx>"), null);
  assert.equal(deviceName(" a "), "a");
  assert.equal(deviceName("x".repeat(40)), "x".repeat(40));
  assert.equal(deviceName("x".repeat(41)), null);
  assert.equal(deviceName("😀".repeat(40)), "😀".repeat(40), "characters, not UTF-16 units");
  assert.equal(isHubUrl("wss://hub.example.org:8765"), true);
  assert.equal(isHubUrl("ws://127.0.0.1:8765/"), true);
  assert.equal(isHubUrl("https://hub.example.org"), false);
  assert.equal(isHubUrl("wss://"), false);
  assert.equal(isHubUrl("wss://a b"), false);
});
