package io.kimiproxy.core.tokens;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a model family turns a chat request into prompt tokens, as far as a local estimate can
 * follow it: the closest jtokkit vocabulary, how tool definitions are rendered, and the fixed
 * tokens a provider's chat template adds. The fixed numbers are measured on the recorded fixtures
 * or documented by the provider; docs/context.md has the table of remaining error.
 *
 * @param chatFraming        each message pays OpenAI's role framing and the reply is primed;
 *                           Gemini bills the text alone
 * @param templateTokens     added once per request by the provider's template (Llama 3.1+ writes
 *                           a dated system header; gpt-oss writes its harmony preamble)
 * @param toolPreambleTokens added once when the request has tools (Anthropic documents 346 for
 *                           its tool-use system prompt)
 * @param typeScriptTools    tool definitions rendered as OpenAI's TypeScript namespace rather than
 *                           injected as JSON schemas (what most open-model templates do)
 */
public enum ModelFamily {
  OPENAI_O200K(EncodingType.O200K_BASE, true, 0, 0, true),
  OPENAI_CL100K(EncodingType.CL100K_BASE, true, 0, 0, true),
  GPT_OSS(EncodingType.O200K_BASE, true, 60, 0, true),
  KIMI(EncodingType.O200K_BASE, true, 0, 0, false),
  LLAMA_3_1(EncodingType.CL100K_BASE, true, 28, 0, false),
  CLAUDE(EncodingType.CL100K_BASE, true, 0, 346, false),
  GEMINI(EncodingType.CL100K_BASE, false, 0, 0, true),
  OTHER(EncodingType.CL100K_BASE, true, 0, 0, false);

  private final EncodingType encoding;
  private final boolean chatFraming;
  private final int templateTokens;
  private final int toolPreambleTokens;
  private final boolean typeScriptTools;

  ModelFamily(EncodingType encoding, boolean chatFraming, int templateTokens, int toolPreambleTokens,
              boolean typeScriptTools) {
    this.encoding = encoding;
    this.chatFraming = chatFraming;
    this.templateTokens = templateTokens;
    this.toolPreambleTokens = toolPreambleTokens;
    this.typeScriptTools = typeScriptTools;
  }

  public EncodingType encoding() {
    return encoding;
  }

  boolean chatFraming() {
    return chatFraming;
  }

  int templateTokens() {
    return templateTokens;
  }

  int toolPreambleTokens() {
    return toolPreambleTokens;
  }

  boolean typeScriptTools() {
    return typeScriptTools;
  }

  /**
   * The family of a model name. The name may be an alias, an upstream id or both joined by a
   * space ("kimi/k2 kimi-k2-0905-preview"), so family words are looked for anywhere and OpenAI's
   * own ids are matched on each path segment's start.
   */
  /** Model names seen so far: a few dozen in any configuration, asked for on every request. */
  private static final Map<String, ModelFamily> KNOWN = new ConcurrentHashMap<>();
  private static final int KNOWN_NAMES = 4096;

  public static ModelFamily of(String model) {
    String name = model == null ? "" : model;
    ModelFamily known = KNOWN.get(name);
    if (known != null) return known;
    ModelFamily family = classify(name);
    if (KNOWN.size() < KNOWN_NAMES) KNOWN.put(name, family);
    return family;
  }

  private static ModelFamily classify(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.contains("gpt-oss")) return GPT_OSS;
    if (m.contains("kimi") || m.contains("moonshot")) return KIMI;
    if (m.contains("claude")) return CLAUDE;
    if (m.contains("gemini")) return GEMINI;
    if (m.matches("(?s).*llama[-_]?3\\.[1-9].*")) return LLAMA_3_1;
    for (String segment : m.split("[/\\s]+")) {
      if (segment.startsWith("gpt-4o") || segment.startsWith("gpt-4.1") || segment.startsWith("gpt-5")
          || segment.startsWith("o1") || segment.startsWith("o3") || segment.startsWith("o4")
          || segment.startsWith("chatgpt-4o")) {
        return OPENAI_O200K;
      }
      if (segment.startsWith("gpt-4") || segment.startsWith("gpt-3.5")) return OPENAI_CL100K;
    }
    return OTHER;
  }
}
