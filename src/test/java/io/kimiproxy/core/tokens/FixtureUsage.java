package io.kimiproxy.core.tokens;

import io.kimiproxy.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The recorded exchanges that carry both a request body and the provider's reported prompt
 * tokens, read into OpenAI's chat shape (Anthropic and Gemini native requests are converted) so
 * the counter's estimate can be compared with what the provider billed.
 */
record FixtureUsage(String name, String model, JsonArray messages, JsonArray tools, long reported) {

  static List<FixtureUsage> all() {
    List<FixtureUsage> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Fixtures.ROOT)) {
      for (Path request : files.filter(p -> p.toString().endsWith(".request.json")).sorted().toList()) {
        FixtureUsage usage = read(request);
        if (usage != null) out.add(usage);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static FixtureUsage read(Path requestFile) throws IOException {
    String base = requestFile.toString().substring(0, requestFile.toString().length() - ".request.json".length());
    Path json = Path.of(base + ".json");
    Path sse = Path.of(base + ".sse");
    String response = Files.exists(json) ? Files.readString(json) : Files.exists(sse) ? Files.readString(sse) : null;
    if (response == null) return null;
    long reported = reportedPromptTokens(response);
    if (reported <= 0) return null;
    JsonObject request = new JsonObject(Files.readString(requestFile));
    String name = Fixtures.ROOT.relativize(Path.of(base)).toString();
    if (request.getValue("contents") instanceof JsonArray contents) {
      String uri = new JsonObject(Files.readString(Path.of(base + ".meta.json"))).getJsonObject("request").getString("uri");
      String model = uri.replaceAll(".*/models/([^:/?]+).*", "$1");
      return new FixtureUsage(name, model, geminiMessages(request, contents), geminiTools(request), reported);
    }
    if (name.startsWith("anthropic/") && request.getValue("max_tokens") != null && !name.contains("openai-compat")) {
      return new FixtureUsage(name, request.getString("model"), anthropicMessages(request), anthropicTools(request), reported);
    }
    return new FixtureUsage(name, request.getString("model"), request.getJsonArray("messages"),
        request.getValue("tools") instanceof JsonArray t ? t : new JsonArray(), reported);
  }

  /** The last usage the response reported: OpenAI, Anthropic (with cache reads) or Gemini shape. */
  private static long reportedPromptTokens(String response) {
    long found = 0;
    for (String line : response.split("\n")) {
      String text = line.startsWith("data:") ? line.substring(5).trim() : null;
      if (text == null) continue;
      found = Math.max(found, promptOf(text));
    }
    return found > 0 ? found : promptOf(response.trim());
  }

  private static long promptOf(String text) {
    Object parsed;
    try {
      parsed = text.startsWith("[") ? new JsonArray(text) : new JsonObject(text);
    } catch (RuntimeException e) {
      return 0;
    }
    if (parsed instanceof JsonArray array) {
      long max = 0;
      for (Object item : array) if (item instanceof JsonObject o) max = Math.max(max, promptOf(o.encode()));
      return max;
    }
    JsonObject json = (JsonObject) parsed;
    if (json.getValue("message") instanceof JsonObject message && message.getValue("usage") instanceof JsonObject u) {
      return anthropicInput(u);
    }
    if (json.getValue("usage") instanceof JsonObject u) {
      if (u.getValue("prompt_tokens") instanceof Number n) return n.longValue();
      if (u.getValue("input_tokens") instanceof Number) return anthropicInput(u);
    }
    if (json.getValue("x_groq") instanceof JsonObject g && g.getValue("usage") instanceof JsonObject u) {
      return u.getLong("prompt_tokens", 0L);
    }
    if (json.getValue("usageMetadata") instanceof JsonObject u) return u.getLong("promptTokenCount", 0L);
    return 0;
  }

  private static long anthropicInput(JsonObject u) {
    return u.getLong("input_tokens", 0L) + u.getLong("cache_read_input_tokens", 0L)
        + u.getLong("cache_creation_input_tokens", 0L);
  }

  private static JsonArray anthropicMessages(JsonObject request) {
    JsonArray out = new JsonArray();
    Object system = request.getValue("system");
    if (system != null) out.add(new JsonObject().put("role", "system").put("content", blocksText(system)));
    for (Object item : request.getJsonArray("messages")) {
      JsonObject message = (JsonObject) item;
      String role = message.getString("role");
      Object content = message.getValue("content");
      if (content instanceof String s) {
        out.add(new JsonObject().put("role", role).put("content", s));
        continue;
      }
      JsonArray calls = new JsonArray();
      StringBuilder text = new StringBuilder();
      for (Object b : (JsonArray) content) {
        JsonObject block = (JsonObject) b;
        switch (block.getString("type")) {
          case "tool_use" -> calls.add(new JsonObject().put("id", block.getString("id")).put("type", "function")
              .put("function", new JsonObject().put("name", block.getString("name"))
                  .put("arguments", block.getJsonObject("input").encode())));
          case "tool_result" -> out.add(new JsonObject().put("role", "tool")
              .put("tool_call_id", block.getString("tool_use_id")).put("content", blocksText(block.getValue("content"))));
          default -> text.append(block.getString("text", block.getString("thinking", "")));
        }
      }
      if (text.length() > 0 || !calls.isEmpty()) {
        JsonObject converted = new JsonObject().put("role", role).put("content", text.toString());
        if (!calls.isEmpty()) converted.put("tool_calls", calls);
        out.add(converted);
      }
    }
    return out;
  }

  private static JsonArray anthropicTools(JsonObject request) {
    JsonArray out = new JsonArray();
    if (request.getValue("tools") instanceof JsonArray tools) {
      for (Object t : tools) {
        JsonObject tool = (JsonObject) t;
        out.add(new JsonObject().put("type", "function").put("function", new JsonObject()
            .put("name", tool.getString("name")).put("description", tool.getString("description", ""))
            .put("parameters", tool.getJsonObject("input_schema"))));
      }
    }
    return out;
  }

  private static JsonArray geminiMessages(JsonObject request, JsonArray contents) {
    JsonArray out = new JsonArray();
    if (request.getValue("systemInstruction") instanceof JsonObject system) {
      out.add(new JsonObject().put("role", "system").put("content", partsText(system.getJsonArray("parts"))));
    }
    for (Object c : contents) {
      JsonObject content = (JsonObject) c;
      String role = "model".equals(content.getString("role")) ? "assistant" : "user";
      JsonArray calls = new JsonArray();
      for (Object p : content.getJsonArray("parts")) {
        JsonObject part = (JsonObject) p;
        if (part.getValue("functionCall") instanceof JsonObject call) {
          calls.add(new JsonObject().put("id", "call").put("type", "function").put("function", new JsonObject()
              .put("name", call.getString("name")).put("arguments", call.getJsonObject("args", new JsonObject()).encode())));
        } else if (part.getValue("functionResponse") instanceof JsonObject response) {
          out.add(new JsonObject().put("role", "tool").put("content", response.getJsonObject("response").encode()));
        }
      }
      String text = partsText(content.getJsonArray("parts"));
      if (!text.isEmpty() || !calls.isEmpty()) {
        JsonObject converted = new JsonObject().put("role", role).put("content", text);
        if (!calls.isEmpty()) converted.put("tool_calls", calls);
        out.add(converted);
      }
    }
    return out;
  }

  private static JsonArray geminiTools(JsonObject request) {
    JsonArray out = new JsonArray();
    if (request.getValue("tools") instanceof JsonArray tools) {
      for (Object t : tools) {
        if (((JsonObject) t).getValue("functionDeclarations") instanceof JsonArray declarations) {
          declarations.forEach(d -> out.add(new JsonObject().put("type", "function").put("function", d)));
        }
      }
    }
    return out;
  }

  private static String partsText(JsonArray parts) {
    StringBuilder text = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof JsonObject part && part.getValue("text") instanceof String s) text.append(s);
    }
    return text.toString();
  }

  private static String blocksText(Object content) {
    if (content instanceof String s) return s;
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray blocks) {
      for (Object b : blocks) {
        if (b instanceof JsonObject block && block.getValue("text") instanceof String s) text.append(s);
      }
    }
    return text.toString();
  }
}
