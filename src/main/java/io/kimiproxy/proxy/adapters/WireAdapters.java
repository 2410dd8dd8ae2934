package io.kimiproxy.proxy.adapters;

import io.kimiproxy.config.WireType;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.kimiproxy.proxy.wire.anthropic.AnthropicAdapter;
import io.kimiproxy.proxy.wire.gemini.GeminiAdapter;
import io.kimiproxy.proxy.wire.openai.OpenAiAdapter;
import io.kimiproxy.proxy.wire.responses.ResponsesAdapter;
import io.kimiproxy.proxy.wire.responses.ResponsesTranslation;
import java.util.EnumMap;
import java.util.Map;

/**
 * The adapter for each wire format. Adapters hold no per-request state, so one instance serves every
 * request; the Responses adapter remembers, bounded, which provider issued each encrypted reasoning,
 * so one instance should live as long as the proxy.
 */
public final class WireAdapters {
  /** What the Responses passthrough remembers (issuers of encrypted reasoning, items it read). */
  private static final long RESPONSES_BYTES = 16L << 20;
  private static final long TRANSLATION_BYTES = 1L << 20;
  private final Map<WireType, WireAdapter> adapters = new EnumMap<>(Map.of(
      WireType.OPENAI, new OpenAiAdapter(),
      WireType.ANTHROPIC, new AnthropicAdapter(),
      WireType.GEMINI, new GeminiAdapter()));
  private final ResponsesAdapter responses = new ResponsesAdapter(RESPONSES_BYTES);
  private final ResponsesTranslation translation = new ResponsesTranslation(TRANSLATION_BYTES);

  public WireAdapter forType(WireType type) {
    return adapters.get(type);
  }

  /**
   * The adapter for one call: a Responses client's request goes as it came to a provider that serves
   * Responses; to any other it is translated by the provider's own adapter, once it is known to hold
   * nothing that format cannot say (else a 400 naming it).
   */
  public WireAdapter forRequest(ChatRequest request, Route route) {
    if (request.api() == InboundApi.RESPONSES && request.raw() != null) {
      if (ResponsesAdapter.serves(route.provider())) return responses;
      translation.check(request, route.provider().name());
    }
    return forType(route.provider().type());
  }
}
