package io.kimiproxy.proxy.adapters;

import io.kimiproxy.config.WireType;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.kimiproxy.proxy.wire.anthropic.AnthropicAdapter;
import io.kimiproxy.proxy.wire.gemini.GeminiAdapter;
import io.kimiproxy.proxy.wire.openai.OpenAiAdapter;
import java.util.EnumMap;
import java.util.Map;

/** The adapter for each wire format. Adapters are stateless, so one instance serves every request. */
public final class WireAdapters {
  private final Map<WireType, WireAdapter> adapters = new EnumMap<>(Map.of(
      WireType.OPENAI, new OpenAiAdapter(),
      WireType.ANTHROPIC, new AnthropicAdapter(),
      WireType.GEMINI, new GeminiAdapter()));

  public WireAdapter forType(WireType type) {
    return adapters.get(type);
  }
}
