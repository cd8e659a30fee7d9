/**
 * usage-capture: one `usage` event per operation the user completed. A generation
 * request (ask_proxy, copilot ask) starts an operation; chat-like ones complete when
 * their stream ends with its result event, image and video ones when their tasks report
 * SUCCESS, the super agent when its socket says the ask ended. Failures (limit texts,
 * HTTP errors, aborted streams) record nothing. The event id is derived from the site's
 * own ids (event-id.js), so a reload, a repeated poll or another device changes nothing.
 */
import { KIND } from "../../shared/messages.js";
import { isoMillis } from "../../shared/protocol.js";
import { eventIdFor } from "../event-id.js";
import { register } from "../registry.js";

const ASK_ENDPOINTS = new Set(["ask_proxy", "copilot_ask"]);
const MAX_REMEMBERED = 50;

/**
 * The bookkeeping, without the browser: feed it traffic events; the methods that can
 * complete an operation return {key, operation, model, at, endedAt} (epoch ms: when it
 * was asked for and when it was seen to finish) or null.
 */
export function createUsageTracker(rules, { now = Date.now } = {}) {
  const taskOperations = new Set(rules.taskOperations());
  const asks = new Map(); // request id → ask
  const polls = new Map(); // request id → {operation, taskIds, at}
  const taskPolls = new Map(); // task id → {count, firstAt}
  const sockets = new Map(); // socket id → {openedAt, asks: [], seq}
  const done = new Set(); // keys completed in this page

  const remember = (map, key, value) => {
    map.set(key, value);
    if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value);
  };
  const failedBy = (texts) => texts.some((text) => rules.classifyText(text) !== null);
  const complete = (key, operation, model, at) => {
    if (done.has(key)) return null;
    done.add(key);
    const endedAt = now();
    return { key, operation, model: model ?? null, at: Math.min(at, endedAt), endedAt };
  };

  /** The ask (oldest first) that an image/video task completion belongs to, if any. */
  function claimAsk(operation) {
    for (const [id, ask] of asks) {
      if (ask.operation === operation && !ask.failed && !ask.claimed) {
        ask.claimed = true;
        if (ask.finished) asks.delete(id);
        return ask;
      }
    }
    return null;
  }

  function taskCompletion(requestId, endpoint, event) {
    const outcome = rules.taskOutcome(event);
    if (!outcome) return null;
    const poll = polls.get(requestId);
    const operation = poll?.operation ?? rules.operationFromRequest(endpoint, {});
    const taskIds = poll?.taskIds.length ? poll.taskIds : outcome.succeeded;
    if (!operation || !outcome.succeeded.length || !taskIds.length) return null;
    const key = `${operation}|task|${[...taskIds].sort()[0]}`;
    if (done.has(key)) return null;
    const ask = claimAsk(operation);
    // Without an ask from this page, only a generation we saw in progress counts: a
    // finished task shown again (history, another tab) is not new usage.
    const seen = taskIds.map((id) => taskPolls.get(id)).filter(Boolean);
    if (!ask && !seen.some(({ count }) => count >= 2)) return null;
    const firstPolled = Math.min(...seen.map(({ firstAt }) => firstAt));
    return complete(key, operation, ask?.model, ask?.at ?? (seen.length ? firstPolled : now()));
  }

  return {
    /** A request: starts an ask or notes a task poll. Returns the ask started, or null. */
    request({ id, endpoint, body, bodyHash, at }) {
      if (ASK_ENDPOINTS.has(endpoint)) {
        const operation = rules.operationFromRequest(endpoint, body);
        if (!operation) return null;
        const ask = {
          endpoint, operation, model: rules.modelFromRequest(endpoint, body), at: at ?? now(),
          bodyHash: bodyHash ?? "", startId: "", endId: "", ended: false, finished: false, failed: false, claimed: false,
        };
        remember(asks, id, ask);
        return ask;
      }
      const taskIds = rules.taskIds(endpoint, body);
      if (taskIds.length) {
        remember(polls, id, { operation: rules.operationFromRequest(endpoint, body), taskIds });
        for (const taskId of taskIds) {
          const seen = taskPolls.get(taskId);
          remember(taskPolls, taskId, { count: (seen?.count ?? 0) + 1, firstAt: seen?.firstAt ?? at ?? now() });
        }
      }
      return null;
    },

    /** An HTTP status: errors fail the ask. */
    response({ id, status }) {
      const ask = asks.get(id);
      if (ask && !(status >= 200 && status < 400)) ask.failed = true;
    },

    /** A stream event: ask progress, or a task status. */
    streamEvent({ id, endpoint, event }) {
      const ask = asks.get(id);
      if (!ask) return taskCompletion(id, endpoint, event);
      if (failedBy(rules.streamTexts(event)) || rules.streamSaysExhausted(event)) ask.failed = true;
      const phase = rules.streamPhase(event);
      if (phase === "start") ask.startId ||= rules.streamId(event) ?? "";
      if (phase === "end") {
        ask.ended = true;
        ask.endId = rules.streamId(event) ?? "";
      }
      return null;
    },

    /** A whole JSON answer: tasks may be reported this way too. */
    json({ id, endpoint, json }) {
      return asks.has(id) ? null : taskCompletion(id, endpoint, json);
    },

    /** The end of a streamed answer: completes a chat-like ask that ended well. */
    streamEnd({ id, complete: whole, text }) {
      const ask = asks.get(id);
      if (!ask) return null;
      ask.finished = true;
      if (!whole || (text && failedBy([text]))) ask.failed = true;
      if (taskOperations.has(ask.operation)) {
        if (ask.failed || ask.claimed || !ask.ended) asks.delete(id);
        return null; // completes when its tasks succeed
      }
      asks.delete(id);
      if (ask.failed || !ask.ended) return null;
      return complete(`${ask.operation}|${ask.endpoint}|${ask.startId}|${ask.endId}|${ask.bodyHash}`, ask.operation, ask.model, ask.at);
    },

    socketOpen({ id, endpoint }) {
      if (endpoint) remember(sockets, id, { endpoint, openedAt: now(), asks: [], seq: 0 });
    },

    /** A super-agent frame: our ask out starts, its end in completes. */
    socketFrame({ id, direction, frame }) {
      const socket = sockets.get(id);
      if (!socket) return null;
      const phase = rules.socketPhase(rules.socketFrameType(frame));
      if (direction === "out" && phase === "start") {
        socket.asks.push({ at: now(), frameId: frame.id ?? `${socket.openedAt}:${socket.seq++}` });
        return null;
      }
      if (direction !== "in" || !socket.asks.length) return null;
      if (phase === "error") socket.asks.shift();
      if (phase !== "end") return null;
      const ask = socket.asks.shift();
      const operation = rules.operationFromRequest(socket.endpoint, {});
      return operation ? complete(`${operation}|socket|${ask.frameId}`, operation, null, ask.at) : null;
    },
  };
}

register({
  id: "usage-capture",
  include: () => true,
  init(signal, context) {
    const tracker = createUsageTracker(context.rules);
    const waiting = []; // completions seen before the account was known

    const record = async (completion) => {
      if (!completion) return;
      if (context.account === undefined) {
        waiting.push(completion);
        return;
      }
      if (!context.account) return;
      const message = {
        kind: KIND.USAGE,
        event_id: await eventIdFor(completion.key),
        account: context.account,
        operation: completion.operation,
        at: isoMillis(completion.at),
        ended_at: isoMillis(completion.endedAt),
        source: "content-script",
      };
      if (completion.model) message.model = completion.model;
      context.send(message);
      context.emit("operation-complete", completion);
    };

    context.on("request", (detail) => {
      const ask = tracker.request(detail);
      if (ask) context.setLastModel(ask.operation, ask.model);
    }, signal);
    context.on("response", (detail) => tracker.response(detail), signal);
    context.on("stream-event", (detail) => record(tracker.streamEvent(detail)), signal);
    context.on("json", (detail) => record(tracker.json(detail)), signal);
    context.on("stream-end", (detail) => record(tracker.streamEnd(detail)), signal);
    context.on("socket-open", (detail) => tracker.socketOpen(detail), signal);
    context.on("socket-frame", (detail) => record(tracker.socketFrame(detail)), signal);
    context.on("account", () => waiting.splice(0).forEach(record), signal);
  },
});

/* Test URLs: https://www.genspark.ai/agents?type=ai_chat https://www.genspark.ai/agents?type=image_generation_agent */
