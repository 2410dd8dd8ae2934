package io.kimiproxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an Anthropic Messages stream against the event grammar a strict client (Anthropic's SDKs,
 * Claude Code) relies on, and returns what it carried:
 * <pre>
 *   message_start ping* (block ping*)* message_delta message_stop      (an error event may end it anywhere)
 *   block := content_block_start content_block_delta* content_block_stop
 * </pre>
 * Every frame has an {@code event:} line naming its data's {@code type}; blocks are numbered 0, 1,
 * 2... in the order they start, one open at a time, and deltas suit their block (text_delta and
 * citations_delta in text, input_json_delta in tool_use, thinking_delta and signature_delta in
 * thinking); each tool_use has a non-empty unique id and a name, and its input fragments join into
 * a JSON object; message_start carries a message with usage, message_delta a known stop reason and
 * an output token count; a tool_use stop reason means some tool_use block; nothing follows
 * message_stop or an error.
 */
public final class StrictAnthropicStreamChecker {
  private static final Set<String> STOP_REASONS = Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use",
      "pause_turn", "refusal", "model_context_window_exceeded");

  /** One frame: its event name and its data. */
  public record Frame(String event, String data) {}

  /**
   * @param blocks       each block as it ended: type, and its text, thinking, signature or id/name/input
   * @param startUsage   the usage of message_start
   * @param finalUsage   the usage of message_delta (null when the stream ended in an error)
   * @param error        the error event's {@code error} object, or null
   */
  public record Result(String text, String thinking, List<JsonObject> toolCalls, List<JsonObject> blocks,
                       String stopReason, JsonObject message, JsonObject startUsage, JsonObject finalUsage,
                       JsonObject error) {}

  private StrictAnthropicStreamChecker() {}

  public static Result check(String body) {
    return check(frames(body));
  }

  public static Result check(List<Frame> frames) {
    fail(frames.isEmpty(), "empty stream");
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    List<JsonObject> blocks = new ArrayList<>();
    List<JsonObject> toolCalls = new ArrayList<>();
    Set<String> toolIds = new HashSet<>();
    JsonObject message = null;
    JsonObject open = null;
    StringBuilder input = null;
    String stopReason = null;
    JsonObject finalUsage = null;
    JsonObject error = null;
    boolean stopped = false;
    for (int i = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      fail(stopped || error != null, "frame " + i + " after the end: " + frame);
      JsonObject data = json(frame, i);
      String type = data.getString("type");
      fail(frame.event() == null || !frame.event().equals(type), "frame " + i + ": event '" + frame.event()
          + "' does not name its data's type '" + type + "'");
      if (i == 0) fail(!"message_start".equals(type) && !"error".equals(type), "the first event is " + type);
      switch (type) {
        case "message_start" -> {
          fail(message != null, "a second message_start");
          message = data.getJsonObject("message");
          fail(message == null || !"message".equals(message.getString("type")) || !"assistant".equals(message.getString("role")),
              "message_start without an assistant message: " + frame.data());
          fail(message.getString("id", "").isEmpty() || message.getString("model") == null, "message without id or model");
          fail(!message.getJsonArray("content", new JsonArray()).isEmpty(), "message_start with content");
          usage(message.getJsonObject("usage"), "message_start");
        }
        case "ping" -> { }
        case "content_block_start" -> {
          fail(open != null, "block " + blocks.size() + " starts while another is open: " + frame.data());
          fail(data.getInteger("index", -1) != blocks.size(), "block index " + data.getValue("index") + ", expected " + blocks.size());
          JsonObject block = data.getJsonObject("content_block");
          fail(block == null || block.getString("type") == null, "content_block_start without a block");
          open = block.copy().put("index", blocks.size());
          if ("tool_use".equals(block.getString("type"))) {
            String id = block.getString("id", "");
            fail(id.isEmpty() || block.getString("name", "").isEmpty(), "tool_use without id or name: " + frame.data());
            fail(!toolIds.add(id), "tool_use id reused: " + id);
            input = new StringBuilder();
          }
        }
        case "content_block_delta" -> {
          fail(open == null || data.getInteger("index", -1) != open.getInteger("index"), "delta for a block that is not open: " + frame.data());
          JsonObject delta = data.getJsonObject("delta");
          String kind = open.getString("type");
          switch (delta.getString("type")) {
            case "text_delta" -> {
              fail(!kind.equals("text"), "text_delta in a " + kind + " block");
              text.append(delta.getString("text"));
              open.put("text", open.getString("text", "") + delta.getString("text"));
            }
            case "citations_delta" -> fail(!kind.equals("text"), "citations_delta in a " + kind + " block");
            case "input_json_delta" -> {
              fail(!kind.equals("tool_use"), "input_json_delta in a " + kind + " block");
              input.append(delta.getString("partial_json"));
            }
            case "thinking_delta" -> {
              fail(!kind.equals("thinking"), "thinking_delta in a " + kind + " block");
              thinking.append(delta.getString("thinking"));
              open.put("thinking", open.getString("thinking", "") + delta.getString("thinking"));
            }
            case "signature_delta" -> {
              fail(!kind.equals("thinking"), "signature_delta in a " + kind + " block");
              open.put("signature", open.getString("signature", "") + delta.getString("signature"));
            }
            default -> throw new AssertionError("unknown delta type: " + frame.data());
          }
        }
        case "content_block_stop" -> {
          fail(open == null || data.getInteger("index", -1) != open.getInteger("index"), "stop for a block that is not open: " + frame.data());
          if ("tool_use".equals(open.getString("type"))) {
            String json = input.toString();
            JsonObject parsed;
            try {
              parsed = json.isEmpty() ? open.getJsonObject("input", new JsonObject()) : new JsonObject(json);
            } catch (RuntimeException e) {
              throw new AssertionError("tool_use input is not a JSON object: " + json);
            }
            open.put("input", parsed);
            toolCalls.add(new JsonObject().put("id", open.getString("id")).put("name", open.getString("name")).put("input", parsed));
          }
          blocks.add(open);
          open = null;
        }
        case "message_delta" -> {
          fail(message == null || open != null || stopReason != null, "message_delta out of place: " + frame.data());
          stopReason = data.getJsonObject("delta", new JsonObject()).getString("stop_reason");
          fail(!STOP_REASONS.contains(stopReason), "unknown stop_reason: " + stopReason);
          finalUsage = data.getJsonObject("usage");
          fail(finalUsage == null || !(finalUsage.getValue("output_tokens") instanceof Number), "message_delta without output_tokens");
        }
        case "message_stop" -> {
          fail(stopReason == null, "message_stop before message_delta");
          stopped = true;
        }
        case "error" -> {
          error = data.getJsonObject("error");
          fail(error == null || error.getString("type") == null || error.getString("message") == null, "error without type and message");
        }
        default -> throw new AssertionError("unknown event type: " + frame.data());
      }
    }
    fail(error == null && !stopped, "the stream ended without message_stop");
    fail("tool_use".equals(stopReason) && toolCalls.isEmpty(), "stop_reason tool_use without a tool_use block");
    return new Result(text.toString(), thinking.toString(), toolCalls, blocks, stopReason, message,
        message == null ? null : message.getJsonObject("usage"), finalUsage, error);
  }

  /** The frames of an SSE body (event name and data lines), in order; comments and blank lines apart. */
  public static List<Frame> frames(String body) {
    List<Frame> out = new ArrayList<>();
    String event = null;
    StringBuilder data = null;
    for (String line : (body + "\n\n").split("\r?\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) out.add(new Frame(event, data.toString()));
        event = null;
        data = null;
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        String value = line.substring(5);
        if (value.startsWith(" ")) value = value.substring(1);
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return out;
  }

  private static void usage(JsonObject usage, String where) {
    fail(usage == null || !(usage.getValue("input_tokens") instanceof Number) || !(usage.getValue("output_tokens") instanceof Number),
        where + " without input_tokens and output_tokens");
  }

  private static JsonObject json(Frame frame, int i) {
    try {
      return new JsonObject(frame.data());
    } catch (RuntimeException e) {
      throw new AssertionError("frame " + i + " is not a JSON object: " + frame.data());
    }
  }

  private static void fail(boolean condition, String message) {
    if (condition) throw new AssertionError(message);
  }
}
