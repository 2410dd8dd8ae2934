package io.kimiproxy.features.importers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.kimiproxy.core.error.ProxyError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Cline's {@code taskHistory.json}: an array of task objects ({@code id, ts, task, tokensIn,
 * tokensOut, cacheWrites, cacheReads, totalCost, modelId, ...}). A streaming parser keeps only the
 * numbers and identifiers: the task's text (and every other field) is skipped without being
 * decoded, so it is never held, logged or stored. Error messages give a position, never content.
 */
public final class ClineHistoryParser {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_ID = 200;

  /** The tasks of a file (the last entry wins when an id repeats) and the entries without an id or ts. */
  public record Result(List<ClineTask> tasks, int skipped) {}

  private ClineHistoryParser() {}

  /** @throws ProxyError 422 {@code cline_history_invalid} when the file is not a JSON array of objects */
  public static Result parse(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) throw invalid("is not a JSON array of tasks", p.currentLocation());
      Map<String, ClineTask> byId = new LinkedHashMap<>();
      int skipped = 0;
      JsonToken token;
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        ClineTask task = token == JsonToken.START_OBJECT ? task(p) : null;
        if (task == null) {
          p.skipChildren();
          skipped++;
        } else {
          byId.remove(task.id());
          byId.put(task.id(), task);
        }
      }
      if (p.nextToken() != null) throw invalid("has content after its array", p.currentLocation());
      return new Result(new ArrayList<>(byId.values()), skipped);
    } catch (JsonEOFException e) {
      throw invalid("ends before its JSON is complete: truncated", e.getLocation());
    } catch (StreamReadException e) {
      throw invalid("is not valid JSON", e.getLocation());
    } catch (IOException e) {
      throw invalid("cannot be read (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  /** One task object, the parser on its START_OBJECT; null (object consumed) without a usable id and ts. */
  private static ClineTask task(JsonParser p) throws IOException {
    String id = null;
    Long ts = null;
    long in = 0, out = 0, cacheWrites = 0, cacheReads = 0;
    double cost = 0;
    String model = null, provider = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "id" -> id = value == JsonToken.VALUE_STRING || value.isNumeric() ? p.getText() : null;
        case "ts" -> ts = value.isNumeric() ? p.getValueAsLong() : null;
        case "tokensIn" -> in = count(p, value);
        case "tokensOut" -> out = count(p, value);
        case "cacheWrites" -> cacheWrites = count(p, value);
        case "cacheReads" -> cacheReads = count(p, value);
        case "totalCost" -> cost = value.isNumeric() ? Math.max(0, p.getValueAsDouble()) : 0;
        case "modelId" -> model = label(p, value);
        case "apiProvider" -> provider = label(p, value);
        default -> p.skipChildren();
      }
    }
    if (id == null || id.isBlank() || id.length() > MAX_ID || ts == null) return null;
    return new ClineTask(id, ts, in, out, cacheWrites, cacheReads, cost, model, provider);
  }

  private static long count(JsonParser p, JsonToken value) throws IOException {
    return value.isNumeric() ? Math.max(0, p.getValueAsLong()) : 0;
  }

  private static String label(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      p.skipChildren();
      return null;
    }
    String text = p.getText();
    return text.isBlank() || text.length() > MAX_ID ? null : text;
  }

  private static ProxyError invalid(String problem, JsonLocation at) {
    String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return ProxyError.of(422, "invalid_request_error", "cline_history_invalid", "taskHistory.json " + problem + where + ".");
  }
}
