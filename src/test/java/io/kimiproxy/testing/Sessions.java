package io.kimiproxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The long synthetic IDE sessions under tests-data/sessions (built by build.py there from this
 * repository's sources and the recorded fixtures): a Cline conversation with XML tools and a
 * Continue conversation with native tool calls.
 */
public final class Sessions {
  public static final Path ROOT = Path.of("tests-data", "sessions");
  public static final String CLINE = "cline-refactor";
  public static final String CONTINUE = "continue-native-tools";

  private Sessions() {}

  /** The whole recorded session: description, client, model, messages and (Continue) tools. */
  public static JsonObject load(String name) {
    try {
      return new JsonObject(Files.readString(ROOT.resolve(name + ".json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonArray messages(String name) {
    return load(name).getJsonArray("messages");
  }

  public static JsonArray tools(String name) {
    return load(name).getJsonArray("tools", new JsonArray());
  }

  /** A chat body for the first {@code count} messages of a session (the client's turn {@code count}). */
  public static JsonObject body(String name, int count, boolean stream) {
    JsonObject session = load(name);
    JsonArray all = session.getJsonArray("messages");
    JsonArray messages = new JsonArray(all.getList().subList(0, Math.min(count, all.size())));
    JsonObject body = new JsonObject().put("model", session.getString("model")).put("stream", stream)
        .put("messages", messages);
    if (session.getValue("tools") instanceof JsonArray tools) body.put("tools", tools);
    return body;
  }
}
