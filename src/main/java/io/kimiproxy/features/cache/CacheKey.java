package io.kimiproxy.features.cache;

import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.RequestOptions;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.model.ToolDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cache identity of a request: everything that shapes the answer (model, messages, tools,
 * options, streamed or not), read from the neutral model, so the API it came through, key order
 * and transport details (stream_options, user ids) do not split one question into several
 * entries. SHA-256, since a collision would hand one client's answer to another's question.
 */
public final class CacheKey {
  /** Fields read into the neutral model above, or that say nothing about the answer. */
  private static final Set<String> NAMED = Set.of("model", "messages", "tools", "stream", "stream_options",
      "max_tokens", "max_completion_tokens", "max_output_tokens", "temperature", "top_p", "stop", "stop_sequences",
      "n", "tool_choice", "parallel_tool_calls", "reasoning_effort", "thinking", "response_format", "seed", "system",
      "input", "instructions", "user", "metadata", "store", "service_tier", "prompt_cache_key");

  private CacheKey() {}

  public static String of(ChatRequest request, String alias) {
    Digest d = new Digest();
    d.text(alias).text(request.stream() ? "stream" : "whole");
    for (Message m : request.messages()) {
      d.text(m.role().wire()).text(m.form().name()).text(m.name()).text(m.toolCallId());
      for (Part part : m.content()) {
        if (part instanceof Part.Text t) d.text("text").text(t.text()).json(t.cacheControl());
        if (part instanceof Part.Image i) d.text("image").text(i.url()).text(i.detail()).json(i.cacheControl());
        if (part instanceof Part.Other o) d.text("other").json(o.json());
      }
      for (ToolCall c : m.toolCalls()) d.text("call").text(c.id()).text(c.name()).text(c.arguments()).json(c.extra());
      for (Thinking t : m.reasoning()) d.text("thinking").text(t.text()).text(t.signature()).text(t.data());
      d.json(m.extra()).text("end");
    }
    for (ToolDefinition t : request.tools().definitions()) {
      d.text("tool").text(t.name()).text(t.description()).json(t.parameters()).json(t.extra());
    }
    RequestOptions o = request.options();
    d.number(o.maxTokens()).number(o.temperature()).number(o.topP()).text(String.join("\u0000", o.stop()))
        .number(o.n()).text(o.toolChoice() == null ? null : o.toolChoice().toString())
        .text(String.valueOf(o.parallelToolCalls())).text(o.reasoningEffort()).json(o.thinking())
        .json(o.responseFormat()).number(o.seed());
    // Options the neutral model does not name (penalties, logit_bias...) still shape the answer.
    if (request.raw() != null) {
      request.raw().fields().forEach((name, span) -> {
        if (!NAMED.contains(name)) d.text(name).value(JsonValues.decode(request.raw().bytes(), span));
      });
    }
    return d.hex();
  }

  /** A request whose answer is a function of its input: temperature 0 and a single choice. */
  public static boolean deterministic(ChatRequest request) {
    return request.options().deterministic();
  }

  /** SHA-256 over length-prefixed fields: no two different requests feed it the same bytes. */
  private static final class Digest {
    private final MessageDigest sha;

    Digest() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JRE", e);
      }
    }

    Digest text(String value) {
      if (value == null) {
        sha.update((byte) 0);
        return this;
      }
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      sha.update((byte) 1);
      sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
      sha.update(bytes);
      return this;
    }

    /** 0, 0.0 and 1e0 are one JSON number: a client that writes 0.0 asks what one writing 0 does. */
    Digest number(Number value) {
      return text(value == null ? null : new BigDecimal(value.toString()).stripTrailingZeros().toPlainString());
    }

    Digest json(JsonObject value) {
      return text(value == null ? null : canonical(value).toString());
    }

    Digest value(Object value) {
      return text(value == null ? null : String.valueOf(canonical(value)));
    }

    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }

    private static Object canonical(Object value) {
      if (value instanceof JsonObject object) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        object.forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
        return new JsonObject(new LinkedHashMap<>(sorted));
      }
      if (value instanceof JsonArray array) {
        JsonArray out = new JsonArray();
        array.forEach(item -> out.add(canonical(item)));
        return out;
      }
      if (value instanceof Map<?, ?> map) return canonical(new JsonObject(castMap(map)));
      if (value instanceof Number number) return new BigDecimal(number.toString()).stripTrailingZeros();
      return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
  }
}
