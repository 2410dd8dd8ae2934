package io.kimiproxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a recorded Anthropic answer says, read straight from the fixture (not through the adapter),
 * so golden tests can compare what the client got with what the provider sent. Also the proxy
 * config those tests share: one provider of type "anthropic" on the WireMock upstream.
 */
public final class AnthropicGolden {
  public static final String ALIAS = "claude";
  public static final String CONFIG = """
      [providers.anthropic]
      type = "anthropic"
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10
      # Errors as they reach the client: no retries, and no breaker opening on the recorded 429/529s.
      max_retries = 0
      breaker_failures = 1000

      [models."claude"]
      provider = "anthropic"
      model = "claude-sonnet-4-5"
      max_context = 200000
      input_price = 3.0
      cached_input_price = 0.3
      output_price = 15.0
      """;

  /** {@link #CONFIG} for Anthropic Messages clients: every Claude name they ask for goes to the alias. */
  public static final String MESSAGES_CONFIG = CONFIG + """

      [inbound.anthropic]
      default = "claude"
      """;

  /**
   * @param toolCalls each {id, name, arguments} with the arguments parsed
   * @param stopReason Anthropic's, not yet mapped
   */
  public record Facts(String text, String reasoning, String signature, List<JsonObject> toolCalls, String stopReason,
                      long inputTokens, long cacheReadTokens, long cacheCreationTokens, long outputTokens) {
    public long promptTokens() {
      return inputTokens + cacheReadTokens + cacheCreationTokens;
    }
  }

  private AnthropicGolden() {}

  /** The facts of a recorded stream: its text, thinking and tool deltas joined, its usage halves combined. */
  public static Facts ofStream(String sse) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    StringBuilder signature = new StringBuilder();
    Map<Integer, JsonObject> calls = new LinkedHashMap<>();
    Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
    JsonObject usage = new JsonObject();
    String stopReason = null;
    for (String data : StrictStreamChecker.dataEvents(sse)) {
      JsonObject event = new JsonObject(data);
      switch (event.getString("type")) {
        case "message_start" -> usage.mergeIn(event.getJsonObject("message").getJsonObject("usage"));
        case "content_block_start" -> {
          JsonObject block = event.getJsonObject("content_block");
          if ("tool_use".equals(block.getString("type"))) {
            calls.put(event.getInteger("index"), new JsonObject().put("id", block.getString("id")).put("name", block.getString("name")));
            arguments.put(event.getInteger("index"), new StringBuilder());
          }
        }
        case "content_block_delta" -> {
          JsonObject delta = event.getJsonObject("delta");
          switch (delta.getString("type")) {
            case "text_delta" -> text.append(delta.getString("text"));
            case "thinking_delta" -> reasoning.append(delta.getString("thinking"));
            case "signature_delta" -> signature.append(delta.getString("signature"));
            case "input_json_delta" -> arguments.get(event.getInteger("index")).append(delta.getString("partial_json"));
            default -> { }
          }
        }
        case "message_delta" -> {
          stopReason = event.getJsonObject("delta").getString("stop_reason");
          usage.mergeIn(event.getJsonObject("usage"));
        }
        default -> { }
      }
    }
    List<JsonObject> toolCalls = new ArrayList<>();
    calls.forEach((index, call) -> toolCalls.add(call.put("arguments", new JsonObject(arguments.get(index).toString()))));
    return facts(text.toString(), reasoning.toString(), signature.toString(), toolCalls, stopReason, usage);
  }

  /** The facts of a recorded non-streaming answer. */
  public static Facts ofMessage(JsonObject message) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    StringBuilder signature = new StringBuilder();
    List<JsonObject> toolCalls = new ArrayList<>();
    for (Object item : message.getJsonArray("content")) {
      JsonObject block = (JsonObject) item;
      switch (block.getString("type")) {
        case "text" -> text.append(block.getString("text"));
        case "thinking" -> {
          reasoning.append(block.getString("thinking"));
          signature.append(block.getString("signature"));
        }
        case "tool_use" -> toolCalls.add(new JsonObject().put("id", block.getString("id"))
            .put("name", block.getString("name")).put("arguments", block.getJsonObject("input")));
        default -> { }
      }
    }
    return facts(text.toString(), reasoning.toString(), signature.toString(), toolCalls, message.getString("stop_reason"),
        message.getJsonObject("usage"));
  }

  /** OpenAI's finish_reason for Anthropic's stop reasons the fixtures contain. */
  public static String finishReason(String stopReason) {
    return switch (stopReason) {
      case "tool_use" -> "tool_calls";
      case "max_tokens" -> "length";
      default -> "stop";
    };
  }

  /** The tool calls of a chat.completion message as {id, name, arguments} with the arguments parsed. */
  public static List<JsonObject> toolCalls(JsonObject message) {
    List<JsonObject> out = new ArrayList<>();
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object c : calls) {
        JsonObject call = (JsonObject) c;
        JsonObject fn = call.getJsonObject("function");
        out.add(new JsonObject().put("id", call.getString("id")).put("name", fn.getString("name"))
            .put("arguments", new JsonObject(fn.getString("arguments"))));
      }
    }
    return out;
  }

  private static Facts facts(String text, String reasoning, String signature, List<JsonObject> toolCalls,
                             String stopReason, JsonObject usage) {
    return new Facts(text, reasoning, signature, toolCalls, stopReason, usage.getLong("input_tokens", 0L),
        usage.getLong("cache_read_input_tokens", 0L), usage.getLong("cache_creation_input_tokens", 0L),
        usage.getLong("output_tokens", 0L));
  }
}
