package io.kimiproxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The recorded successful answers of every OpenAI-compatible provider in tests-data/fixtures, a proxy
 * config with one provider per folder ({@code <folder>/m} on WireMock's {@code /<folder>/v1}, so the
 * name-based quirks apply), and what a recorded stream carried, read straight from its bytes.
 */
public final class OpenAiGolden {
  /** The folders whose answers are in OpenAI's format; anthropic/ holds one from its compatible endpoint. */
  public static final List<String> FOLDERS = List.of("openai", "azure-openai", "gemini-openai-compat", "mistral",
      "groq", "openrouter", "deepseek", "avian", "cerebras", "together", "anthropic");

  private OpenAiGolden() {}

  public static String config() {
    StringBuilder config = new StringBuilder();
    for (String folder : FOLDERS) {
      config.append("[providers.\"").append(folder).append("\"]\nbase_url = \"{{UPSTREAM}}/").append(folder).append("/v1\"\n")
          .append("[models.\"").append(folder).append("/m\"]\nprovider = \"").append(folder).append("\"\nmodel = \"m\"\n\n");
    }
    return config.toString();
  }

  /** Successful OpenAI-format answers ({@code .sse} or {@code .json}); anthropic/ contributes only its compatible endpoint's. */
  public static List<String> answers(String extension) {
    List<String> out = new ArrayList<>();
    for (String folder : FOLDERS) {
      try (Stream<Path> files = Files.list(Fixtures.ROOT.resolve(folder))) {
        files.map(p -> folder + "/" + p.getFileName())
            .filter(name -> name.endsWith(extension) && !name.endsWith(".request.json") && !name.endsWith(".meta.json"))
            .filter(name -> !folder.equals("anthropic") || name.startsWith("anthropic/openai-compat-"))
            .filter(name -> new JsonObject(Fixtures.text(name.substring(0, name.lastIndexOf('.')) + ".meta.json"))
                .getJsonObject("response").getInteger("status") == 200)
            .sorted().forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /**
   * What a recorded stream carried.
   *
   * @param toolCalls each call as "name arguments", the arguments re-encoded from the joined fragments
   */
  public record Recorded(String content, String reasoning, List<String> toolCallNames, List<String> toolCalls,
                         JsonObject usage) {
    public static Recorded ofStream(String sse) {
      StringBuilder content = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      Map<String, String[]> calls = new LinkedHashMap<>();
      JsonObject usage = null;
      for (String data : StrictStreamChecker.dataEvents(sse)) {
        if (data.equals("[DONE]")) continue;
        JsonObject chunk = new JsonObject(data);
        if (chunk.getValue("usage") instanceof JsonObject u) usage = u;
        if (chunk.getValue("x_groq") instanceof JsonObject groq && groq.getValue("usage") instanceof JsonObject u) usage = u;
        for (Object c : chunk.getJsonArray("choices", new JsonArray())) {
          JsonObject delta = ((JsonObject) c).getJsonObject("delta", new JsonObject());
          if (delta.getValue("content") instanceof String s) content.append(s);
          Object thought = delta.getValue("reasoning_content") != null ? delta.getValue("reasoning_content") : delta.getValue("reasoning");
          if (thought instanceof String s) reasoning.append(s);
          for (Object t : delta.getJsonArray("tool_calls", new JsonArray())) {
            JsonObject call = (JsonObject) t;
            JsonObject fn = call.getJsonObject("function", new JsonObject());
            // Mistral sends complete calls without an index: each is a call of its own.
            String key = call.getValue("index") instanceof Number n ? n.toString() : "#" + calls.size();
            if (fn.getValue("name") instanceof String name && !calls.containsKey(key)) calls.put(key, new String[] {name, ""});
            if (fn.getValue("arguments") instanceof String args && calls.containsKey(key)) calls.get(key)[1] += args;
          }
        }
      }
      List<String> names = new ArrayList<>();
      List<String> full = new ArrayList<>();
      calls.values().forEach(c -> {
        names.add(c[0]);
        full.add(c[0] + " " + new JsonObject(c[1].isEmpty() ? "{}" : c[1]).encode());
      });
      return new Recorded(content.toString(), reasoning.toString(), names, full, usage);
    }
  }
}
