package io.kimiproxy.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.model.ToolDefinition;
import io.kimiproxy.core.model.Tools;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import java.util.function.IntSupplier;

/**
 * Token estimates with jtokkit, used where a provider reports no usage and to measure prompts
 * before they are sent. Counts follow OpenAI's chat accounting: a per-message overhead, the
 * reply priming, tool definitions and tool-call arguments, and a fixed cost per image; the
 * model's {@link ModelFamily} picks the vocabulary and adds what its chat template adds.
 *
 * <p>Counts are cached by content key (bounded by bytes), so an IDE conversation that resends its
 * whole history each turn only pays for its new messages. Thread-safe.
 */
public final class TokenCounter {
  /** OpenAI's documented overhead per message ({@code <|start|>role\n ... <|end|>}). */
  static final int PER_MESSAGE = 3;
  /** Every reply is primed with {@code <|start|>assistant<|message|>}. */
  static final int REPLY_PRIMING = 3;
  /** A 512x512 high-detail tile plus base cost: a fixed, documented estimate per image. */
  public static final int IMAGE_TOKENS = 765;
  /** A cached count's share of the heap: its key, the boxed count, the entry. */
  private static final long COUNT_BYTES = 48;

  /** One per process: the vocabularies are immutable and thread-safe, and loading one takes seconds. */
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private final BoundedCache<ContentKey, Integer> counts;

  /** @param cacheBytes how much memory the cached counts may take */
  public TokenCounter(long cacheBytes) {
    this.counts = new BoundedCache<>(cacheBytes, count -> COUNT_BYTES);
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
    return cached(ContentKey.of(text).then(encoding.getName().hashCode()).then(0x7e47L),
        () -> encoding.countTokensOrdinary(text));
  }

  /**
   * Prompt tokens of a chat request: every message, the tool definitions, the reply priming and
   * what the family's chat template adds.
   */
  public PromptCount countPrompt(String model, MessageList messages, Tools tools) {
    ModelFamily family = ModelFamily.of(model);
    Encoding encoding = REGISTRY.getEncoding(family.encoding());
    long salt = encoding.getName().hashCode();
    int[] perMessage = new int[messages.size()];
    int framing = family.chatFraming() ? PER_MESSAGE : 0;
    int total = (family.chatFraming() ? REPLY_PRIMING : 0) + family.templateTokens();
    for (int i = 0; i < perMessage.length; i++) {
      Message message = messages.get(i);
      perMessage[i] = cached(messages.key(i).then(salt).then(framing), () -> messageTokens(encoding, framing, message));
      total += perMessage[i];
    }
    int toolTokens = 0;
    if (!tools.isEmpty()) {
      long toolSalt = salt ^ (family.typeScriptTools() ? 0x7002L : 0x7001L);
      toolTokens = cached(tools.key().then(toolSalt), () -> {
        int sum = 0;
        for (ToolDefinition tool : tools.definitions()) sum += ToolDefinitionTokens.of(encoding, family, tool);
        return sum;
      });
      toolTokens += family.toolPreambleTokens() + (family.typeScriptTools() ? ToolDefinitionTokens.OPENAI_TOOLS_END : 0);
    }
    return new PromptCount(total + toolTokens, toolTokens, perMessage);
  }

  private int cached(ContentKey key, IntSupplier count) {
    Integer hit = counts.get(key);
    if (hit != null) return hit;
    int tokens = count.getAsInt();
    counts.put(key, tokens);
    return tokens;
  }

  private static int messageTokens(Encoding encoding, int framing, Message message) {
    int tokens = framing == 0 ? 0 : framing + encoding.countTokensOrdinary(message.role().wire());
    if (message.name() != null) tokens += 1 + encoding.countTokensOrdinary(message.name());
    for (Part part : message.content()) {
      if (part instanceof Part.Text t) {
        tokens += encoding.countTokensOrdinary(t.text());
      } else if (part instanceof Part.Image) {
        tokens += IMAGE_TOKENS;
      }
    }
    for (Thinking t : message.reasoning()) {
      if (!t.sealed() && t.text() != null) tokens += encoding.countTokensOrdinary(t.text());
    }
    for (ToolCall call : message.toolCalls()) {
      tokens += framing + encoding.countTokensOrdinary(call.name()) + encoding.countTokensOrdinary(call.arguments());
    }
    return tokens;
  }
}
