package io.kimiproxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an OpenAI Responses stream as a strict client would (the OpenAI SDKs' accumulators and
 * Codex, which acts on each output_item.done and waits for response.completed), and returns what
 * it carried. Rules:
 * <ul>
 *   <li>every event is {@code event: <type>} with a JSON object whose {@code type} is that type;
 *       {@code sequence_number}s count 0, 1, 2... without a gap; no {@code [DONE]};</li>
 *   <li>response.created comes first, then response.in_progress, each with a response object
 *       (id, {@code object: "response"}, status in_progress, empty output); every later response
 *       object has the same id;</li>
 *   <li>output items are added with indexes 0, 1, 2..., each with an id and a type; every event of
 *       an item names its item_id and output_index, and only while the item is open; a message's
 *       content parts, a reasoning item's summary parts open and close in order; each .done repeats
 *       exactly what its deltas said; output_item.done repeats the item with everything it carried;</li>
 *   <li>the stream ends with exactly one response.completed or response.incomplete (every item
 *       closed, its output listing the items done, in order, and a usage with input_tokens,
 *       input_tokens_details.cached_tokens, output_tokens, output_tokens_details.reasoning_tokens
 *       and total_tokens), or response.failed with an error code and message (after an optional
 *       error event).</li>
 * </ul>
 */
public final class StrictResponsesStreamChecker {
  private static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete", "response.failed");

  /**
   * What the stream carried.
   *
   * @param calls  each function call as {@code {"name","call_id","arguments"}}, in output order
   * @param status completed, incomplete or failed
   * @param error  the failed response's error, or null
   */
  public record Result(String text, String reasoning, List<JsonObject> calls, JsonObject usage, String status,
                       JsonObject error, JsonArray output, List<JsonObject> events) {}

  /** One server-sent event as received. */
  public record Event(String name, String data) {}

  private StrictResponsesStreamChecker() {}

  /** The events of an SSE body: {@code event:} names and {@code data:} lines, split at blank lines. */
  public static List<Event> events(String body) {
    List<Event> out = new ArrayList<>();
    for (String block : body.replace("\r\n", "\n").split("\n\n")) {
      if (block.isBlank()) continue;
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) name = line.substring(6).trim();
        else if (line.startsWith("data:")) data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
        else if (!line.startsWith(":")) throw new AssertionError("not an SSE line: " + line);
      }
      out.add(new Event(name, data.toString()));
    }
    return out;
  }

  public static Result check(String body) {
    return new Run().check(events(body));
  }

  /** One open output item. */
  private static final class Item {
    final JsonObject added;
    final String type;
    final StringBuilder text = new StringBuilder();
    int parts = -1;
    boolean partOpen;
    boolean textDone;

    Item(JsonObject added) {
      this.added = added;
      this.type = added.getString("type");
    }
  }

  private static final class Run {
    private final Map<Integer, Item> open = new LinkedHashMap<>();
    private final JsonArray done = new JsonArray();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final List<JsonObject> calls = new ArrayList<>();
    private final List<JsonObject> parsed = new ArrayList<>();
    private String responseId;
    private int nextIndex;
    private boolean errorSeen;

    Result check(List<Event> events) {
      fail(events.size() < 3, "a stream needs created, in_progress and a final event: " + events);
      for (int i = 0; i < events.size(); i++) {
        Event event = events.get(i);
        fail("[DONE]".equals(event.data()), "a Responses stream has no [DONE]");
        JsonObject json;
        try {
          json = new JsonObject(event.data());
        } catch (RuntimeException e) {
          throw new AssertionError("event " + i + " is not a JSON object: " + event.data());
        }
        parsed.add(json);
        String type = json.getString("type");
        fail(type == null || !type.equals(event.name()), "event " + i + " is named " + event.name() + " but says " + type);
        fail(!(json.getValue("sequence_number") instanceof Number n) || n.longValue() != i,
            "event " + i + " has sequence_number " + json.getValue("sequence_number"));
        boolean last = i == events.size() - 1;
        fail(TERMINAL.contains(type) != last, TERMINAL.contains(type) ? type + " before the end" : "the stream ends with " + type);
        fail(errorSeen && !type.equals("response.failed"), "an error event followed by " + type);
        if (i == 0) fail(!type.equals("response.created"), "the stream starts with " + type);
        if (i == 1) fail(!type.equals("response.in_progress"), "response.created is followed by " + type);
        event(type, json);
      }
      JsonObject end = parsed.get(parsed.size() - 1);
      JsonObject response = end.getJsonObject("response");
      return new Result(text.toString(), reasoning.toString(), calls, response.getJsonObject("usage"),
          response.getString("status"), response.getJsonObject("error"), done, parsed);
    }

    private void event(String type, JsonObject json) {
      switch (type) {
        case "response.created", "response.in_progress" -> {
          JsonObject response = response(json, "in_progress");
          fail(!response.getJsonArray("output", new JsonArray()).isEmpty(), type + " with output");
          if (responseId == null) responseId = response.getString("id");
        }
        case "response.output_item.added" -> added(json);
        case "response.content_part.added" -> partAdded(json, "message", "content_index", "output_text");
        case "response.reasoning_summary_part.added" -> partAdded(json, "reasoning", "summary_index", "summary_text");
        case "response.output_text.delta" -> delta(json, "message", "content_index", text);
        case "response.reasoning_summary_text.delta" -> delta(json, "reasoning", "summary_index", reasoning);
        case "response.function_call_arguments.delta" -> delta(json, "function_call", null, null);
        case "response.output_text.done" -> textDone(json, "message", "content_index", "text");
        case "response.reasoning_summary_text.done" -> textDone(json, "reasoning", "summary_index", "text");
        case "response.function_call_arguments.done" -> textDone(json, "function_call", null, "arguments");
        case "response.content_part.done", "response.reasoning_summary_part.done" -> partDone(json);
        case "response.output_item.done" -> itemDone(json);
        case "error" -> {
          JsonObject error = json.getJsonObject("error", json);
          fail(error.getString("message") == null, "an error event without a message: " + json);
          errorSeen = true;
        }
        case "response.completed", "response.incomplete" -> finished(json, type.substring("response.".length()));
        case "response.failed" -> {
          JsonObject error = response(json, "failed").getJsonObject("error");
          fail(error == null || error.getString("code") == null || error.getString("message") == null,
              "response.failed without an error code and message: " + json);
        }
        default -> throw new AssertionError("unknown event " + type);
      }
    }

    private JsonObject response(JsonObject json, String status) {
      fail(!(json.getValue("response") instanceof JsonObject), json.getString("type") + " without a response");
      JsonObject response = json.getJsonObject("response");
      fail(!"response".equals(response.getString("object")), "a response object that is not one: " + response);
      fail(response.getString("id") == null || response.getValue("created_at") == null || response.getString("model") == null,
          "a response without id, created_at or model: " + response);
      fail(responseId != null && !responseId.equals(response.getString("id")), "the response's id changed");
      fail(!status.equals(response.getString("status")), json.getString("type") + " with status " + response.getString("status"));
      return response;
    }

    private void added(JsonObject json) {
      int index = json.getInteger("output_index", -1);
      fail(index != nextIndex++, "output item added at index " + index + ", expected " + (nextIndex - 1));
      JsonObject item = json.getJsonObject("item");
      fail(item == null || item.getString("id") == null || item.getString("type") == null, "an item without id or type: " + json);
      Item opened = new Item(item);
      if (opened.type.equals("function_call")) {
        fail(item.getString("name") == null || item.getString("name").isEmpty() || item.getString("call_id") == null,
            "a function call without name or call_id: " + item);
        opened.text.append(item.getString("arguments", ""));
      }
      open.put(index, opened);
    }

    private Item item(JsonObject json, String type) {
      Item item = open.get(json.getInteger("output_index", -1));
      fail(item == null, json.getString("type") + " for an item that is not open: " + json);
      fail(!item.added.getString("id").equals(json.getString("item_id")), json.getString("type") + " names another item: " + json);
      fail(!item.type.equals(type), json.getString("type") + " on an item of type " + item.type);
      return item;
    }

    private void partAdded(JsonObject json, String type, String indexField, String partType) {
      Item item = item(json, type);
      fail(item.partOpen, "a part added while another is open: " + json);
      fail(json.getInteger(indexField, -1) != item.parts + 1, "parts out of order: " + json);
      JsonObject part = json.getJsonObject("part");
      fail(part == null || !partType.equals(part.getString("type")) || !"".equals(part.getString("text")),
          "a new part must be an empty " + partType + ": " + json);
      item.parts++;
      item.partOpen = true;
      item.textDone = false;
      item.text.setLength(0);
    }

    private void delta(JsonObject json, String type, String indexField, StringBuilder all) {
      Item item = item(json, type);
      if (indexField != null) fail(!item.partOpen || json.getInteger(indexField, -1) != item.parts, "a delta outside its part: " + json);
      fail(item.textDone, "a delta after its .done: " + json);
      fail(!(json.getValue("delta") instanceof String), "a delta without text: " + json);
      item.text.append(json.getString("delta"));
      if (all != null) all.append(json.getString("delta"));
    }

    private void textDone(JsonObject json, String type, String indexField, String field) {
      Item item = item(json, type);
      if (indexField != null) fail(!item.partOpen || json.getInteger(indexField, -1) != item.parts, "a .done outside its part: " + json);
      fail(!item.text.toString().equals(json.getString(field)), json.getString("type") + " says '" + json.getString(field)
          + "' but its deltas said '" + item.text + "'");
      item.textDone = true;
    }

    private void partDone(JsonObject json) {
      Item item = open.get(json.getInteger("output_index", -1));
      fail(item == null || !item.partOpen, json.getString("type") + " without an open part: " + json);
      fail(!item.text.toString().equals(json.getJsonObject("part").getString("text")), "a part's .done text differs: " + json);
      item.partOpen = false;
    }

    private void itemDone(JsonObject json) {
      int index = json.getInteger("output_index", -1);
      Item item = open.remove(index);
      fail(item == null, "output_item.done for an item that is not open: " + json);
      JsonObject finished = json.getJsonObject("item");
      fail(!item.added.getString("id").equals(finished.getString("id")) || !item.type.equals(finished.getString("type")),
          "output_item.done for another item: " + json);
      fail(item.partOpen, "an item done with a part still open: " + json);
      switch (item.type) {
        case "function_call" -> {
          fail(!item.text.toString().equals(finished.getString("arguments")), "the call's arguments differ from its deltas");
          calls.add(new JsonObject().put("name", finished.getString("name")).put("call_id", finished.getString("call_id"))
              .put("arguments", finished.getString("arguments")));
        }
        case "message" -> {
          JsonArray content = finished.getJsonArray("content", new JsonArray());
          fail(content.size() != item.parts + 1, "a message done with " + content.size() + " parts, " + (item.parts + 1) + " sent");
        }
        case "reasoning" -> fail(!(finished.getValue("summary") instanceof JsonArray), "a reasoning item without summary");
        default -> { }
      }
      done.add(finished);
    }

    private void finished(JsonObject json, String status) {
      JsonObject response = response(json, status);
      fail(!open.isEmpty(), "the answer ended with items still open: " + open.keySet());
      JsonArray output = response.getJsonArray("output", new JsonArray());
      List<String> listed = output.stream().map(o -> ((JsonObject) o).getString("id")).toList();
      List<String> sent = done.stream().map(o -> ((JsonObject) o).getString("id")).toList();
      fail(!listed.equals(sent), "the final output " + listed + " is not the items done " + sent);
      JsonObject usage = response.getJsonObject("usage");
      fail(usage == null || !(usage.getValue("input_tokens") instanceof Number)
          || !(usage.getValue("output_tokens") instanceof Number) || !(usage.getValue("total_tokens") instanceof Number)
          || !(usage.getJsonObject("input_tokens_details", new JsonObject()).getValue("cached_tokens") instanceof Number)
          || !(usage.getJsonObject("output_tokens_details", new JsonObject()).getValue("reasoning_tokens") instanceof Number),
          "the final usage is incomplete: " + usage);
    }
  }

  private static void fail(boolean condition, String message) {
    if (condition) throw new AssertionError(message);
  }
}
