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
import java.util.Locale;
import java.util.Map;

/**
 * Token estimates with jtokkit, used where a provider reports no usage and to measure prompts
 * before they are sent. Counts follow OpenAI's chat accounting: a per-message overhead, the
 * reply priming, tool definitions and tool-call arguments, and a fixed cost per image.
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

  /**
   * One per process: a vocabulary is tens of megabytes and a second of CPU to load, and jtokkit's
   * encodings are immutable and thread-safe, so every counter (and every test's proxy) shares them.
   */
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

  /**
   * Loads both vocabularies now. jtokkit reads each lazily at its first use: call this off the
   * event loop at start-up, so that the first request does not pay for it there.
   */
  public void preload() {
    REGISTRY.getEncoding(EncodingType.O200K_BASE);
    REGISTRY.getEncoding(EncodingType.CL100K_BASE);
  }

  /**
   * o200k_base for the model families known to use it or a vocabulary of similar size;
   * cl100k_base for everything else.
   */
  public Encoding encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    String base = slash >= 0 ? m.substring(slash + 1) : m;
    boolean o200k = base.startsWith("gpt-4o") || base.startsWith("gpt-4.1") || base.startsWith("gpt-5")
        || base.startsWith("o1") || base.startsWith("o3") || base.startsWith("o4")
        || base.startsWith("chatgpt-4o") || base.startsWith("gpt-oss")
        || base.startsWith("kimi") || base.startsWith("moonshot");
    return REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
  }

  public int countText(String model, String text) {
    return text == null || text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
  }

  /** Prompt tokens of a chat request: every message, the tool definitions and the reply priming. */
  public PromptCount countPrompt(String model, JsonArray messages, JsonArray tools) {
    Encoding encoding = encodingFor(model);
    long salt = encoding.getName().hashCode();
    int[] perMessage = new int[messages.size()];
    int total = REPLY_PRIMING;
    for (int i = 0; i < perMessage.length; i++) {
      Object message = messages.getValue(i);
      perMessage[i] = cachedMessageTokens(encoding, salt, message);
      total += perMessage[i];
    }
    int toolTokens = 0;
    for (Object tool : tools) {
      toolTokens += cachedMessageTokens(encoding, salt ^ 0x7001L, tool);
    }
    return new PromptCount(total + toolTokens, toolTokens, perMessage);
  }

  /** Total characters of text in messages: decides whether counting belongs off the event loop. */
  public static long roughSize(JsonArray messages) {
    long size = 0;
    for (Object message : messages) {
      if (message instanceof JsonObject m && m.getValue("content") instanceof String s) {
        size += s.length();
      } else {
        size += 256;
      }
    }
    return size;
  }

  private int cachedMessageTokens(Encoding encoding, long salt, Object value) {
    long key = ContentHash.of(value) ^ salt;
    synchronized (messageCache) {
      Integer hit = messageCache.get(key);
      if (hit != null) return hit;
    }
    int tokens = value instanceof JsonObject object && object.containsKey("role")
        ? messageTokens(encoding, object)
        : encoding.countTokensOrdinary(String.valueOf(value));
    synchronized (messageCache) {
      messageCache.put(key, tokens);
    }
    return tokens;
  }

  private static int messageTokens(Encoding encoding, JsonObject message) {
    int tokens = PER_MESSAGE + encoding.countTokensOrdinary(message.getString("role", ""));
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
          tokens += PER_MESSAGE + encoding.countTokensOrdinary(fn.getString("name", ""))
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
