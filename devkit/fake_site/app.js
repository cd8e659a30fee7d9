// The fake Genspark page: the traffic a real agent page makes, nothing more.
// On load: /api/user and the balance; send (click or Enter): the ask stream; image and
// video: task polling until SUCCESS; results are kept in localStorage and their status
// is fetched again on the next load (so a reload replays a finished task's SUCCESS).
"use strict";
const config = JSON.parse(document.getElementById("fake-config").textContent);
const T = config.texts;
const N = config.names; // markup and endpoint names (changed in the redesigned variant)
const $ = (selector) => document.querySelector(selector);
const HISTORY_KEY = "fake-genspark-history";
const statusPath = { image: N.image_status, video: N.video_status };
const PROMPT = `textarea.${N.prompt}`;

function showError(text) {
  $(".error-message").textContent = text;
}

async function loadUser() {
  const reply = await (await fetch(N.user)).json();
  $(".account").textContent = reply.status === 0 ? (reply.data.cogen || reply.data.profile).email : T.sign_in;
  return reply.status === 0;
}

async function loadBalance() {
  const reply = await (await fetch(N.balance)).json();
  $(".credit-balance").textContent = reply.status === 0 ? String(reply.data.balance ?? reply.data.credits) : "-";
}

async function* events(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const line = buffer.slice(0, cut).trim();
      buffer = buffer.slice(cut + 2);
      if (line.startsWith("data:")) yield JSON.parse(line.slice(5));
    }
  }
}

function history() {
  try {
    return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
  } catch {
    return [];
  }
}

function showResult(operation, taskId) {
  if (document.querySelector(`[data-task-id="${taskId}"]`)) return;
  const img = document.createElement("img");
  img.className = "result";
  img.dataset.taskId = taskId;
  img.src = `/api/files/s/${taskId}`;
  $(".results").append(img);
}

async function pollTasks(operation, taskIds, { save }) {
  for (let round = 0; round < 200; round++) {
    const reply = await (
      await fetch(statusPath[operation], {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ task_ids: taskIds }),
      })
    ).json();
    if (reply.data && reply.data.status === "TASKS_STATUS_COMPLETE") {
      for (const [id, task] of Object.entries(reply.data.final_status)) {
        if (task.status !== "SUCCESS") continue;
        showResult(operation, id);
        if (save && !history().some((item) => item.id === id)) {
          localStorage.setItem(HISTORY_KEY, JSON.stringify([...history(), { operation, id }]));
        }
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function send() {
  const prompt = $(PROMPT).value;
  showError("");
  $(".answer").textContent = "";
  $(".status").textContent = T.working;
  const body = {
    type: config.type,
    ai_chat_model: config.model,
    messages: [{ role: "user", content: prompt }],
  };
  let response;
  try {
    response = await fetch(N.ask, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    showError(String(error));
    return;
  }
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = JSON.parse(text).message || text;
    } catch {}
    showError(message);
    $(".status").textContent = "";
    return;
  }
  if ((response.headers.get("content-type") || "").includes("application/json")) {
    const reply = await response.json();
    showError(reply.status === -5 ? T.signed_out : reply.message || "error");
    $(".status").textContent = "";
    return;
  }
  let taskIds = [];
  let refused = false;
  for await (const event of events(response)) {
    if (event.type === "message_field_delta") $(".answer").textContent += event.delta;
    if (event.type === "message_result") {
      if (event.action && event.action.type === "ACTION_QUOTA_EXCEEDED") {
        refused = true;
        showError(T.exhausted);
      } else if (event.task_ids) {
        taskIds = event.task_ids;
      } else {
        $(".answer").textContent = event.content;
      }
    }
  }
  if (config.rereadAfterReply) await loadBalance();
  if (taskIds.length) await pollTasks(config.operation, taskIds, { save: true });
  $(".status").textContent = refused ? "" : T.done;
  await loadBalance();
}

$(`div.${N.actions} div.${N.send}`).addEventListener("click", () => send());
$(PROMPT).addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send();
  }
});

(async () => {
  const signedIn = await loadUser();
  await loadBalance();
  if (!signedIn) {
    document.documentElement.dataset.fakeReady = "1";
    return;
  }
  // Restore earlier results, as the real site's history does: their status is asked again.
  const byOperation = {};
  for (const item of history()) (byOperation[item.operation] ||= []).push(item.id);
  for (const [operation, ids] of Object.entries(byOperation)) {
    if (statusPath[operation]) await pollTasks(operation, ids, { save: false });
  }
  document.documentElement.dataset.fakeReady = "1";
})();
