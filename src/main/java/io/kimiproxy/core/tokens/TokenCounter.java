package io.kimiproxy.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.util.ContentHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Token estimates with jtokkit, used where a provider reports no usage and to measure prompts
 * before they are sent. Counts follow OpenAI's chat accounting: a per-message overhead, the
 * reply priming, tool definitions and tool-call arguments, and a fixed cost per image; the
 * model's {@link ModelFamily} picks the vocabulary and adds what its chat template adds.
 *
 * <p>Message counts are cached by content hash (bounded LRU), so an IDE conversation that resends
 * its whole history each turn only pays for its new messages. Thread-safe.
 */
public final class TokenCounter {
  /** OpenAI's documented overhead per message ({@code <|start|>role\n ... <|end|>}). */
  static final int PER_MESSAGE = 3;
  /** Every reply is primed with {@code <|start|>assistant<|message|>}. */
  static final int REPLY_PRIMING = 3;
  /** A 512x512 high-detail tile plus base cost: a fixed, documented estimate per image. */
  public static final int IMAGE_TOKENS = 765;

  /** One per process: the vocabularies are immutable and thread-safe, and loading one takes seconds. */
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private final Map<Long, Integer> messageCache;

  public TokenCounter(int cacheEntries) {
    this.messageCache = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
        return size() > cacheEntries;
      }
    };
  }

  /** Loads every vocabulary {@link #encodingFor} may pick. Blocking (seconds): for a worker thread. */
  public TokenCounter preload() {
    REGISTRY.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary("warm");
    REGISTRY.getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary("warm");
    return this;
  }

  /** The vocabulary of the model's family (see {@link ModelFamily#of}). */
  public Encoding encodingFor(String model) {
    return REGISTRY.getEncoding(ModelFamily.of(model).encoding());
  }

  public int countText(String model, String text) {
    return text == null || text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
  }

  /** Like {@link #countText}, through the cache: for large texts that come back every turn (tool outputs). */
  public int countTextCached(String model, String text) {
    if (text == null || text.isEmpty()) return 0;
    Encoding encoding = encodingFor(model);
    return cached(ContentHash.of(text) ^ encoding.getName().hashCode() ^ 0x7e47L, () -> encoding.countTokensOrdinary(text));
  }

  /**
   * Prompt tokens of a chat request: every message, the tool definitions, the reply priming and
   * what the family's chat template adds.
   */
  public PromptCount countPrompt(String model, JsonArray messages, JsonArray tools) {
    ModelFamily family = ModelFamily.of(model);
    Encoding encoding = REGISTRY.getEncoding(family.encoding());
    long salt = encoding.getName().hashCode();
    int[] perMessage = new int[messages.size()];
    int framing = family.chatFraming() ? PER_MESSAGE : 0;
    int total = (family.chatFraming() ? REPLY_PRIMING : 0) + family.templateTokens();
    for (int i = 0; i < perMessage.length; i++) {
      Object message = messages.getValue(i);
      perMessage[i] = cached(ContentHash.of(message) ^ salt ^ framing, () -> messageTokens(encoding, framing, message));
      total += perMessage[i];
    }
    int toolTokens = 0;
    if (!tools.isEmpty()) {
      long toolSalt = salt ^ (family.typeScriptTools() ? 0x7002L : 0x7001L);
      for (Object tool : tools) {
        toolTokens += cached(ContentHash.of(tool) ^ toolSalt, () -> ToolDefinitionTokens.of(encoding, family, tool));
      }
      toolTokens += family.toolPreambleTokens() + (family.typeScriptTools() ? ToolDefinitionTokens.OPENAI_TOOLS_END : 0);
    }
    return new PromptCount(total + toolTokens, toolTokens, perMessage);
  }

  /**
   * Characters of text in messages (string content, text parts, tool-call arguments): decides
   * whether counting belongs off the event loop. Cline sends its file dumps as text parts, so
   * parts must count by their length too.
   */
  public static long roughSize(JsonArray messages) {
    long size = 0;
    for (Object message : messages) {
      size += 64;
      if (!(message instanceof JsonObject m)) continue;
      Object content = m.getValue("content");
      if (content instanceof String s) {
        size += s.length();
      } else if (content instanceof JsonArray parts) {
        for (Object part : parts) {
          size += part instanceof JsonObject p && p.getValue("text") instanceof String t ? t.length() : 256;
        }
      }
      if (m.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object call : calls) {
          if (call instanceof JsonObject c && c.getValue("function") instanceof JsonObject fn
              && fn.getValue("arguments") instanceof String args) {
            size += args.length();
          }
        }
      }
    }
    return size;
  }

  private int cached(long key, IntSupplier count) {
    synchronized (messageCache) {
      Integer hit = messageCache.get(key);
      if (hit != null) return hit;
    }
    int tokens = count.getAsInt();
    synchronized (messageCache) {
      messageCache.put(key, tokens);
    }
    return tokens;
  }

  private static int messageTokens(Encoding encoding, int framing, Object value) {
    if (!(value instanceof JsonObject message)) return encoding.countTokensOrdinary(String.valueOf(value));
    int tokens = framing == 0 ? 0 : framing + encoding.countTokensOrdinary(message.getString("role", ""));
    if (message.getValue("name") instanceof String name) {
      tokens += 1 + encoding.countTokensOrdinary(name);
    }
    tokens += contentTokens(encoding, message.getValue("content"));
    if (message.getValue("reasoning_content") instanceof String reasoning) {
      tokens += encoding.countTokensOrdinary(reasoning);
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object call : calls) {
        if (call instanceof JsonObject c && c.getValue("function") instanceof JsonObject fn) {
          tokens += framing + encoding.countTokensOrdinary(fn.getString("name", ""))
              + encoding.countTokensOrdinary(String.valueOf(fn.getValue("arguments", "")));
        }
      }
    }
    return tokens;
  }

  private static int contentTokens(Encoding encoding, Object content) {
    if (content instanceof String text) {
      return encoding.countTokensOrdinary(text);
    }
    int tokens = 0;
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (!(part instanceof JsonObject p)) continue;
        String type = p.getString("type", "");
        if (type.equals("image_url") || type.equals("image") || type.equals("input_image")) {
          tokens += IMAGE_TOKENS;
        } else if (p.getValue("text") instanceof String text) {
          tokens += encoding.countTokensOrdinary(text);
        }
      }
    }
    return tokens;
  }
}
