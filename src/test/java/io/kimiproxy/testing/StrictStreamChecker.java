package io.kimiproxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an OpenAI chat-completion stream as a strict client would, and returns what it carried.
 * Rules: every event but the last is a JSON object; {@code [DONE]} is last and only once; a
 * tool call is opened with a non-empty id and a function name, later fragments never change the id,
 * and each call's argument fragments concatenate to valid JSON; exactly one usage chunk when the
 * client asked for one and none otherwise; an error event may only be followed by {@code [DONE]}.
 */
public final class StrictStreamChecker {

  /** What the stream carried, for the test's own assertions. */
  public record Result(String content, String reasoning, List<JsonObject> toolCalls, JsonObject usage,
                       List<String> finishReasons, JsonObject error, int chunks) {}

  private StrictStreamChecker() {}

  /** @param events the {@code data:} payloads in order, as the client received them */
  public static Result check(List<String> events, boolean usageRequested) {
    fail(events.isEmpty(), "empty stream");
    fail(!"[DONE]".equals(events.get(events.size() - 1)), "the last event is not [DONE]: " + events.get(events.size() - 1));
    StringBuilder content = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    Map<String, JsonObject> calls = new LinkedHashMap<>();
    Map<String, StringBuilder> arguments = new LinkedHashMap<>();
    List<String> finishReasons = new ArrayList<>();
    JsonObject usage = null;
    JsonObject error = null;
    int usageChunks = 0;
    for (int i = 0; i < events.size() - 1; i++) {
      String data = events.get(i);
      fail("[DONE]".equals(data), "[DONE] before the end (event " + i + ")");
      fail(error != null, "an event follows the error event: " + data);
      JsonObject chunk;
      try {
        chunk = new JsonObject(data);
      } catch (RuntimeException e) {
        throw new AssertionError("event " + i + " is not a JSON object: " + data);
      }
      if (chunk.containsKey("error")) {
        error = chunk.getJsonObject("error");
        fail(error.getString("message") == null || error.getString("type") == null, "error event without message/type: " + data);
        continue;
      }
      fail(chunk.containsKey("object") && !"chat.completion.chunk".equals(chunk.getString("object")),
          "object is not chat.completion.chunk: " + data);
      fail(!(chunk.getValue("choices") instanceof JsonArray), "no choices array: " + data);
      if (chunk.getValue("usage") instanceof JsonObject u) {
        usageChunks++;
        fail(!(u.getValue("prompt_tokens") instanceof Number) || !(u.getValue("completion_tokens") instanceof Number),
            "usage without token numbers: " + data);
        usage = u;
      }
      for (Object c : chunk.getJsonArray("choices")) {
        JsonObject choice = (JsonObject) c;
        int choiceIndex = choice.getInteger("index", 0);
        if (choice.getValue("finish_reason") instanceof String reason) finishReasons.add(reason);
        if (!(choice.getValue("delta") instanceof JsonObject delta)) continue;
        if (delta.getValue("content") instanceof String s) content.append(s);
        if (delta.getValue("reasoning_content") instanceof String s) reasoning.append(s);
        if (!(delta.getValue("tool_calls") instanceof JsonArray toolCalls)) continue;
        for (Object t : toolCalls) {
          JsonObject call = (JsonObject) t;
          fail(!(call.getValue("index") instanceof Number), "tool call without index: " + data);
          String key = choiceIndex + ":" + call.getInteger("index");
          JsonObject fn = call.getJsonObject("function", new JsonObject());
          JsonObject known = calls.get(key);
          if (known == null) {
            String id = call.getString("id");
            fail(id == null || id.isEmpty(), "tool call " + key + " opened without an id: " + data);
            fail(calls.values().stream().anyMatch(k -> id.equals(k.getString("id"))), "tool call id reused: " + id);
            fail(fn.getString("name") == null || fn.getString("name").isEmpty(), "tool call " + key + " opened without a name: " + data);
            calls.put(key, new JsonObject().put("id", id).put("name", fn.getString("name")));
            arguments.put(key, new StringBuilder());
          } else {
            String id = call.getString("id");
            fail(id != null && !id.isEmpty() && !id.equals(known.getString("id")), "tool call " + key + " changed its id: " + data);
          }
          if (fn.getValue("arguments") instanceof String args) arguments.get(key).append(args);
        }
      }
    }
    if (usageRequested && error == null) {
      fail(usageChunks != 1, "expected exactly one usage chunk, found " + usageChunks);
    }
    if (!usageRequested) fail(usageChunks != 0, "usage sent although the client did not ask for it");
    List<JsonObject> toolCalls = new ArrayList<>();
    calls.forEach((key, call) -> {
      String args = arguments.get(key).toString();
      Object parsed;
      try {
        parsed = args.isEmpty() ? new JsonObject() : new JsonObject(args);
      } catch (RuntimeException e) {
        throw new AssertionError("tool call " + key + " arguments are not valid JSON: " + args);
      }
      toolCalls.add(call.copy().put("arguments", parsed));
    });
    return new Result(content.toString(), reasoning.toString(), toolCalls, usage, finishReasons, error, events.size() - 1);
  }

  /** The data payloads of an SSE body. */
  public static List<String> dataEvents(String body) {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\r?\n")) {
      if (line.startsWith("data: ")) out.add(line.substring(6));
      else if (line.startsWith("data:")) out.add(line.substring(5));
    }
    return out;
  }

  private static void fail(boolean condition, String message) {
    if (condition) throw new AssertionError(message);
  }
}
