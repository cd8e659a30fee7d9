// Site rules: the real genspark.json validates, every lookup answers from it, unknowns
// give null, and bad data is refused with the field named.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createRules, readPath } from "../../extension/site/rules.js";
import { siteJson, siteRules } from "./fakes/site-rules.js";

const rules = siteRules();

describe("validation", () => {
  test("the real genspark.json is valid and dated", () => {
    assert.equal(rules.version, 1);
    assert.match(rules.checked, /^\d{4}-\d{2}-\d{2}$/);
  });

  const broken = [
    ["version", (d) => delete d.version, /version/],
    ["an unknown operation", (d) => { d.pages.agents.types.ai_chat.operation = "chatting"; }, /pages\.agents\.types\.ai_chat\.operation/],
    ["a missing endpoint", (d) => delete d.endpoints.balance, /endpoints\.balance must be an object/],
    ["a bad method", (d) => { d.endpoints.user.method = "PUT"; }, /endpoints\.user\.method/],
    ["a missing field path", (d) => delete d.endpoints.user.fields.email, /endpoints\.user\.fields\.email/],
    ["an upper-case needle", (d) => { d.texts.kinds[0].needles.en[0] = "Rate Limit"; }, /texts\.kinds\.0\.needles\.en\.0 must be lower case/],
    ["an unknown language", (d) => { d.texts.kinds[0].needles.fr = ["x"]; }, /texts\.kinds\.0\.needles\.fr/],
    ["an unknown text kind", (d) => { d.texts.kinds[0].kind = "weird"; }, /texts\.kinds\.0\.kind/],
    ["a bad regexp", (d) => { d.texts.reset_epoch_pattern = "("; }, /texts\.reset_epoch_pattern/],
    ["a selector without count", (d) => delete d.selectors.prompt_box.expect, /selectors\.prompt_box\.expect/],
    ["a selector test URL elsewhere", (d) => { d.selectors.send_button.test_url = "https://example.com/"; }, /selectors\.send_button\.test_url/],
    ["an http URL", (d) => { d.urls.login.url = "http://www.genspark.ai/login"; }, /urls\.login\.url/],
    ["a bad unverified mark", (d) => { d.urls.status.unverified = "yes"; }, /urls\.status\.unverified/],
    ["an empty stream end list", (d) => { d.stream.end = []; }, /stream\.end/],
  ];
  for (const [what, breakIt, message] of broken) {
    test(`refuses ${what}, naming the field`, () => {
      const bad = siteJson();
      breakIt(bad);
      assert.throws(() => createRules(bad), (error) => message.test(error.message) && /genspark\.json/.test(error.message));
    });
  }
});

describe("pages", () => {
  test("agent pages map to operations", () => {
    const page = (type) => rules.pageOperation(`https://www.genspark.ai/agents?type=${type}`);
    assert.equal(page("ai_chat"), "chat");
    assert.equal(page("moa_chat"), "chat");
    assert.equal(page("slides_agent"), "slides");
    assert.equal(page("image_generation_agent"), "image");
    assert.equal(page("video_generation_agent"), "video");
    assert.equal(rules.pageOperation("/agents?type=image_generation_agent&id=42"), "image");
  });

  test("unknown pages are null, never a guess", () => {
    for (const url of [
      "https://www.genspark.ai/",
      "https://www.genspark.ai/agents",
      "https://www.genspark.ai/agents?type=brand_new_agent",
      "https://www.genspark.ai/agents?type=toString",
      "https://www.genspark.ai/credit-usage",
      "https://example.com/agents?type=image_generation_agent",
      "not a url at all ::",
    ]) {
      assert.equal(rules.pageOperation(url), null, url);
    }
  });

  test("heavy operations are image, video and analysis", () => {
    assert.deepEqual(["image", "video", "analysis", "chat", "slides", null].map(rules.isHeavy), [true, true, true, false, false, false]);
  });
});

describe("endpoints", () => {
  test("match by path and method, same origin only", () => {
    assert.equal(rules.matchEndpoint("/api/payment/get_credit_balance", "GET"), "balance");
    assert.equal(rules.matchEndpoint("https://www.genspark.ai/api/user", "get"), "user");
    assert.equal(rules.matchEndpoint("/api/payment/get_credit_history?start_date=a&end_date=b", "GET"), "credit_history");
    assert.equal(rules.matchEndpoint("/api/quota/free_pool?category=chat", "GET"), "free_pool");
    assert.equal(rules.matchEndpoint("/api/agent/ask_proxy", "POST"), "ask_proxy");
    assert.equal(rules.matchEndpoint("/api/copilot/ask", "POST"), "copilot_ask");
    assert.equal(rules.matchEndpoint("/api/ig_tasks_status", "POST"), "image_tasks_status");
    assert.equal(rules.matchEndpoint("/api/vg_tasks_status", "POST"), "video_tasks_status");
    assert.equal(rules.matchEndpoint("wss://www.genspark.ai/ws/super_agent_sandbox/v1", "WS"), "super_agent_socket");
    assert.equal(rules.matchEndpoint("/api/user", "POST"), null);
    assert.equal(rules.matchEndpoint("/api/unknown", "GET"), null);
    assert.equal(rules.matchEndpoint("https://evil.example/api/user", "GET"), null);
  });

  test("fields are read by their dotted paths", () => {
    assert.equal(rules.field("balance", "balance", { status: 0, data: { balance: 57 } }), 57);
    assert.equal(rules.field("credit_history", "balance", { data: { current_balance: 12.5 } }), 12.5);
    assert.equal(rules.field("user", "email", { status: 0, data: { cogen: { email: "me@example.com" } } }), "me@example.com");
    assert.equal(rules.field("user", "email", { status: -5, message: "not login", data: {} }), undefined);
    assert.throws(() => rules.field("user", "password", {}), /no field user\.password/);
    assert.equal(readPath({ a: [{ b: 1 }] }, "a.0.b"), 1);
    assert.equal(readPath(null, "a"), undefined);
  });

  test("site status and signed-out answers", () => {
    assert.equal(rules.siteStatus({ status: -5 }), -5);
    assert.equal(rules.siteStatus({ status: "x" }), null);
    assert.equal(rules.isSignedOut({ status: -5, message: "not login", data: {} }), true);
    assert.equal(rules.isSignedOut({ status: 0, data: { balance: 1 } }), false);
  });

  test("free pool windows", () => {
    const json = {
      windows: {
        "5h": { limit_dollars: 1, spent_dollars: 0.25, remaining_dollars: 0.75, reset_at: "2026-11-25T02:00:00Z" },
        "7d": { remaining_dollars: 3 },
        "1y": { remaining_dollars: 9 },
      },
    };
    assert.deepEqual(rules.freePoolWindows(json), [
      { window: "5h", balance: 0.75, reset_at: "2026-11-25T02:00:00Z" },
      { window: "7d", balance: 3, reset_at: null },
    ]);
    assert.deepEqual(rules.freePoolWindows({}), []);
  });

  test("only GET endpoints are readable by the extension", () => {
    assert.equal(rules.endpointPath("balance"), "/api/payment/get_credit_balance");
    assert.equal(rules.endpointPath("user"), "/api/user");
    assert.throws(() => rules.endpointPath("ask_proxy"), /no readable endpoint/);
  });
});

describe("requests → operation and model", () => {
  const cases = [
    ["ask_proxy", { type: "ai_chat", ai_chat_model: "claude-sonnet-4-5" }, "chat", "claude-sonnet-4-5"],
    ["copilot_ask", { type: "COPILOT_MOA_CHAT", extra_data: { models: ["gpt-5.1-low", "gemini-3-pro-preview"] } }, "chat", "gpt-5.1-low+gemini-3-pro-preview"],
    ["copilot_ask", { type: "COPILOT_MOA_IMAGE", extra_data: { models: ["nano-banana-pro"] } }, "image", "nano-banana-pro"],
    ["copilot_ask", { type: "COPILOT_MOA_VIDEO", extra_data: { models: ["veo3.1"] } }, "video", "veo3.1"],
    ["ask_proxy", { type: "something_new", ai_chat_model: "x" }, null, "x"],
    ["ask_proxy", { ai_chat_model: "" }, null, null],
    ["ask_proxy", null, null, null],
    ["image_tasks_status", { task_ids: ["t1"] }, "image", null],
    ["video_tasks_status", {}, "video", null],
    ["super_agent_socket", {}, "agent", null],
    ["balance", {}, null, null],
    ["nope", {}, null, null],
  ];
  for (const [endpoint, body, operation, model] of cases) {
    test(`${endpoint} ${JSON.stringify(body)}`, () => {
      assert.equal(rules.operationFromRequest(endpoint, body), operation);
      assert.equal(rules.modelFromRequest(endpoint, body), model);
    });
  }

  test("task ids and the operations that complete by tasks", () => {
    assert.deepEqual(rules.taskIds("image_tasks_status", { task_ids: ["a", "", 3, "b"] }), ["a", "b"]);
    assert.deepEqual(rules.taskIds("ask_proxy", { task_ids: ["a"] }), []);
    assert.deepEqual(rules.taskOperations().sort(), ["image", "video"]);
  });
});

describe("streams, tasks and sockets", () => {
  test("stream phases and ids", () => {
    assert.equal(rules.streamPhase({ type: "project_start", id: "p1" }), "start");
    assert.equal(rules.streamPhase({ type: "message_result", content: "hi" }), "end");
    assert.equal(rules.streamPhase({ type: "message_field_delta", delta: "x" }), null);
    assert.equal(rules.streamId({ type: "project_start", id: "p1" }), "p1");
    assert.equal(rules.streamId({ type: "message_result", message_id: "m1" }), "m1");
    assert.equal(rules.streamId({ type: "message_result" }), null);
  });

  test("stream texts and the exhausted flag", () => {
    const event = { type: "message_result", content: "You've reached your free usage limit today", action: { type: "ACTION_QUOTA_EXCEEDED" } };
    assert.deepEqual(rules.streamTexts(event), ["You've reached your free usage limit today", "ACTION_QUOTA_EXCEEDED"]);
    assert.equal(rules.streamSaysExhausted({ session_state: { consume_usage_quota_exceeded: true } }), true);
    assert.equal(rules.streamSaysExhausted({ session_state: {} }), false);
    assert.deepEqual(rules.responseTexts({ status: -5, message: "not login" }), ["not login"]);
  });

  test("task outcome", () => {
    const complete = { type: "TASKS_STATUS_COMPLETE", final_status: { a: { status: "SUCCESS" }, b: { status: "FAILED" } } };
    assert.deepEqual(rules.taskOutcome(complete), { succeeded: ["a"], failed: ["b"] });
    assert.equal(rules.taskOutcome({ type: "TASKS_STATUS_UPDATE" }), null);
    assert.deepEqual(rules.taskOutcome({ type: "TASKS_STATUS_COMPLETE" }), { succeeded: [], failed: [] });
    const wrapped = { status: 0, data: { status: "TASKS_STATUS_COMPLETE", final_status: { a: { status: "SUCCESS" } } } };
    assert.deepEqual(rules.taskOutcome(wrapped), { succeeded: ["a"], failed: [] }, "the JSON-wrapped shape");
    assert.equal(rules.taskOutcome({ status: 0, data: { status: "TASKS_STATUS_PROCESSING", final_status: {} } }), null);
  });

  test("socket frames", () => {
    assert.equal(rules.socketFrameType({ type: "sas.ask" }), "sas.ask");
    assert.equal(rules.socketFrameType({}), null);
    assert.equal(rules.socketPhase("sas.ask"), "start");
    assert.equal(rules.socketPhase("sas.ask.ended"), "end");
    assert.equal(rules.socketPhase("sys.error"), "error");
    assert.equal(rules.socketPhase("sys.attach"), null);
  });
});

describe("classifyText", () => {
  const cases = {
    en: [
      ["You've reached your free usage limit today", "exhausted"],
      ["You\u2019ve reached your free usage limit today", "exhausted"],
      ["ACTION_QUOTA_EXCEEDED", "exhausted"],
      ["Rate limit exceeded cf1", "rate_limit_cf1"],
      ["Rate limit exceeded cf2", "rate_limit_cf2"],
      ["You are sending messages too quickly.", "too_quickly"],
      ["Server overloaded, please try again later.", "overloaded"],
      ["503 Service Unavailable", "unavailable"],
      ["Just a moment...", "challenge"],
      ["Verify you are human by completing the action below.", "challenge"],
      ["not login", "signed_out"],
    ],
    ja: [
      ["クレジットを使い切りました。", "exhausted"],
      ["クレジットが不足しています", "exhausted"],
      ["リクエストが多すぎます。しばらくしてからお試しください", "too_quickly"],
      ["サーバーが混雑しています", "overloaded"],
      ["サービスを利用できません", "unavailable"],
      ["人間であることを確認します", "challenge"],
    ],
    ko: [
      ["크레딧이 소진되었습니다", "exhausted"],
      ["요청이 너무 많습니다", "too_quickly"],
      ["서비스를 사용할 수 없습니다", "unavailable"],
    ],
    zh: [
      ["积分已用完", "exhausted"],
      ["積分已用完", "exhausted"],
      ["请求过于频繁", "too_quickly"],
      ["服务器过载", "overloaded"],
      ["服务不可用", "unavailable"],
    ],
  };
  for (const [lang, list] of Object.entries(cases)) {
    test(`${lang} texts`, () => {
      for (const [text, kind] of list) assert.equal(rules.classifyText(text)?.kind, kind, text);
    });
  }

  test("the 5-hour limit carries its reset epoch", () => {
    assert.deepEqual(rules.classifyText("AI Image [5-hour limit] reached. Resets {time:1767225600}"), {
      kind: "window_limit",
      resetEpoch: 1767225600,
    });
    assert.deepEqual(rules.classifyText("AI Image [5-hour limit] reached."), { kind: "window_limit" });
  });

  test("ordinary text and non-strings are null", () => {
    for (const text of ["Here is your image of a cat.", "", null, undefined, 42]) assert.equal(rules.classifyText(text), null);
  });
});

describe("selectors and URLs", () => {
  test("named selectors with expected counts and test URLs", () => {
    assert.equal(rules.selector("prompt_box"), "textarea.search-input");
    assert.equal(rules.selector("send_button"), "div.right-icon-group div.enter-icon");
    assert.equal(rules.selector("model_picker"), "div.model-button");
    assert.equal(rules.selector("generated_images"), 'img[src*="/api/files/s/"]');
    assert.throws(() => rules.selector("nope"), /no selector nope/);
    for (const check of rules.selectorChecks()) {
      assert.ok(Number.isInteger(check.expect) || /^\d+\+$/.test(check.expect), check.name);
      assert.match(check.test_url, /^https:\/\/www\.genspark\.ai\//);
    }
  });

  test("named URLs", () => {
    assert.equal(rules.url("status"), "https://status.genspark.ai/");
    assert.equal(rules.url("credit_usage"), "https://www.genspark.ai/credit-usage");
    assert.match(rules.url("login"), /^https:\/\/www\.genspark\.ai\//);
    assert.throws(() => rules.url("nope"), /no url nope/);
  });

  test("the status page is marked unverified", () => {
    assert.equal(siteJson().urls.status.unverified, true);
  });
});
