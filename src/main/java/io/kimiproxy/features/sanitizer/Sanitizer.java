package io.kimiproxy.features.sanitizer;

import io.kimiproxy.config.SanitizerConfig;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.ContentHash;
import io.kimiproxy.features.contextmap.PartKinds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cleans the messages of a request before they leave the machine: secrets are redacted in every
 * message, then large tool outputs and dumps are masked. Pure CPU work on the request's messages
 * (the client's objects are never changed); the caller stores the masked originals.
 *
 * <p>Never masked: the first user message (the task), the latest user message and the last
 * {@code keep_last_tool_results} tool results, which the model is working on. Only content is
 * replaced, so every tool call keeps its result and ids.
 */
public final class Sanitizer {
  private static final int CACHE_ENTRIES = 20_000;

  private final SanitizerConfig config;
  private final SecretRedactor redactor;
  private final TokenCounter tokens;
  private final AtomicBoolean enabled;
  private final Map<Long, Object> redactions = lru();
  private final Map<Long, Mask> masks = lru();

  public Sanitizer(SanitizerConfig config, SecretRedactor redactor, TokenCounter tokens) {
    this.config = config;
    this.redactor = redactor;
    this.tokens = tokens;
    this.enabled = new AtomicBoolean(config.enabled());
  }

  /** The messages to send, the originals that were masked, and what was done. */
  public record Result(JsonArray messages, List<MaskedOutput> masked, SanitizerCounts counts) {}

  private record Mask(String hash, String marker, int tokens, int saved) {}

  private record Redacted(JsonObject message, int secrets) {}

  public boolean enabled() {
    return enabled.get();
  }

  /** Switches the sanitizer (masking and redaction); null flips it. Returns the new state. */
  public boolean toggle(Boolean target) {
    if (target != null) {
      enabled.set(target);
      return target;
    }
    boolean now;
    do {
      now = !enabled.get();
    } while (!enabled.compareAndSet(!now, now));
    return now;
  }

  public Result apply(String session, long nowMs, JsonArray messages, String model) {
    if (!enabled.get()) return new Result(messages, List.of(), SanitizerCounts.ZERO);
    List<Object> out = new ArrayList<>(messages.size());
    int secrets = 0;
    for (Object item : messages) {
      if (config.redactSecrets() && item instanceof JsonObject message) {
        Redacted r = redacted(message);
        out.add(r.message());
        secrets += r.secrets();
      } else {
        out.add(item);
      }
    }
    List<MaskedOutput> masked = new ArrayList<>();
    long saved = 0;
    boolean[] keep = protectedMessages(out);
    for (int i = 0; i < out.size(); i++) {
      if (keep[i] || !(out.get(i) instanceof JsonObject message) || !maskable(message)) continue;
      Object content = message.getValue("content");
      Object newContent = content;
      if (content instanceof String text) {
        Mask mask = mask(text, model);
        if (mask != null) {
          newContent = mask.marker();
          masked.add(new MaskedOutput(mask.hash(), session, nowMs, mask.tokens(), text));
          saved += mask.saved();
        }
      } else if (content instanceof JsonArray parts) {
        JsonArray newParts = new JsonArray(new ArrayList<>(parts.size()));
        for (Object p : parts) {
          Mask mask = p instanceof JsonObject part && part.getValue("text") instanceof String text ? mask(text, model) : null;
          if (mask == null) {
            newParts.add(p);
            continue;
          }
          String text = ((JsonObject) p).getString("text");
          newParts.add(shallowCopy((JsonObject) p).put("text", mask.marker()));
          masked.add(new MaskedOutput(mask.hash(), session, nowMs, mask.tokens(), text));
          saved += mask.saved();
          newContent = newParts;
        }
      }
      if (newContent != content) out.set(i, shallowCopy(message).put("content", newContent));
    }
    return new Result(new JsonArray(out), masked, new SanitizerCounts(masked.size(), saved, secrets));
  }

  private static boolean maskable(JsonObject message) {
    String kind = PartKinds.of(message);
    return kind.equals(PartKinds.TOOL_OUTPUT) || kind.equals(PartKinds.ATTACHMENT);
  }

  /** The first and latest user messages and the last N tool results. */
  private boolean[] protectedMessages(List<Object> messages) {
    boolean[] keep = new boolean[messages.size()];
    int toolResults = 0;
    boolean latestUserSeen = false;
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!(messages.get(i) instanceof JsonObject m)) continue;
      if (PartKinds.isToolResult(m) && toolResults < config.keepLastToolResults()) {
        keep[i] = true;
        toolResults++;
      }
      if ("user".equals(m.getString("role")) && !latestUserSeen) {
        keep[i] = true;
        latestUserSeen = true;
      }
    }
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i) instanceof JsonObject m && "user".equals(m.getString("role"))) {
        keep[i] = true;
        break;
      }
    }
    return keep;
  }

  private Mask mask(String text, String model) {
    // Cheap length check first: fewer characters than the threshold cannot hold more tokens.
    if (text.length() <= config.thresholdTokens()) return null;
    long key = ContentHash.of(text) ^ config.previewLength();
    synchronized (masks) {
      Mask known = masks.get(key);
      if (known != null) return known;
    }
    int count = tokens.countTextCached(model, text);
    if (count <= config.thresholdTokens()) return null;
    String hash = OutputMasker.hash(text);
    String marker = OutputMasker.marker(text, hash, count, config.previewLength());
    Mask mask = new Mask(hash, marker, count, count - tokens.countText(model, marker));
    synchronized (masks) {
      masks.put(key, mask);
    }
    return mask;
  }

  private Redacted redacted(JsonObject message) {
    long key = ContentHash.of(message);
    synchronized (redactions) {
      Object known = redactions.get(key);
      if (known == Boolean.TRUE) return new Redacted(message, 0);
      if (known instanceof Redacted r) return r;
    }
    int[] found = {0};
    JsonObject copy = shallowCopy(message);
    Object content = message.getValue("content");
    if (content instanceof String s) {
      copy.put("content", redactor.redact(s, found));
    } else if (content instanceof JsonArray parts) {
      JsonArray newParts = new JsonArray(new ArrayList<>(parts.size()));
      for (Object p : parts) {
        newParts.add(p instanceof JsonObject part && part.getValue("text") instanceof String t
            ? shallowCopy(part).put("text", redactor.redact(t, found)) : p);
      }
      copy.put("content", newParts);
    }
    if (message.getValue("reasoning_content") instanceof String reasoning) {
      copy.put("reasoning_content", redactor.redact(reasoning, found));
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      JsonArray newCalls = new JsonArray(new ArrayList<>(calls.size()));
      for (Object c : calls) {
        if (c instanceof JsonObject call && call.getValue("function") instanceof JsonObject fn
            && fn.getValue("arguments") instanceof String args) {
          newCalls.add(shallowCopy(call).put("function", shallowCopy(fn).put("arguments", redactor.redact(args, found))));
        } else {
          newCalls.add(c);
        }
      }
      copy.put("tool_calls", newCalls);
    }
    Redacted result = found[0] == 0 ? new Redacted(message, 0) : new Redacted(copy, found[0]);
    synchronized (redactions) {
      redactions.put(key, found[0] == 0 ? Boolean.TRUE : result);
    }
    return result;
  }

  private static JsonObject shallowCopy(JsonObject json) {
    return new JsonObject(new LinkedHashMap<>(json.getMap()));
  }

  private static <V> Map<Long, V> lru() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
        return size() > CACHE_ENTRIES;
      }
    };
  }
}
