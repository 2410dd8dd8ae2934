package io.kimiproxy.proxy.adapters;

import io.kimiproxy.config.WireType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.kimiproxy.proxy.wire.gemini.GeminiAdapter;
import io.kimiproxy.proxy.wire.openai.OpenAiAdapter;
import java.util.EnumMap;
import java.util.Map;

/** The adapter for each wire format. Adapters are stateless, so one instance serves every request. */
public final class WireAdapters {
  private final Map<WireType, WireAdapter> adapters = new EnumMap<>(WireType.class);

  public WireAdapters() {
    adapters.put(WireType.OPENAI, new OpenAiAdapter());
    adapters.put(WireType.GEMINI, new GeminiAdapter());
  }

  public WireAdapter forType(WireType type) {
    WireAdapter adapter = adapters.get(type);
    if (adapter == null) {
      throw ProxyError.of(501, "invalid_request_error", "wire_format_unsupported",
          "The '" + type.label() + "' wire format is not available in this build.");
    }
    return adapter;
  }
}
