package io.kimiproxy.proxy.inbound;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ToolDefinition;
import io.kimiproxy.core.model.Tools;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.function.Function;

/**
 * A request's {@code tools}, decoded once per distinct list: agents send the same dozen tool
 * definitions (tens of kilobytes) with every turn.
 */
public final class ToolsCache {
  private final BoundedCache<ContentKey, Tools> tools;
  private final Function<JsonArray, List<ToolDefinition>> decoder;

  /** @param decoder the API's tool list as neutral definitions (a 400 when malformed) */
  public ToolsCache(long cacheBytes, Function<JsonArray, List<ToolDefinition>> decoder) {
    this.tools = new BoundedCache<>(Math.max(1 << 20, cacheBytes / 16), t -> 512L * (t.definitions().size() + 1));
    this.decoder = decoder;
  }

  /** The tools of an indexed body; none when the field is absent or null. */
  public Tools of(JsonIndex index) {
    Span span = index.field("tools");
    if (span == null || index.bytes()[span.start()] == 'n') return Tools.NONE;
    if (index.elements("tools") == null) throw ProxyError.invalidRequest("'tools' must be an array.", "tools");
    ContentKey key = ContentKey.of(index.bytes(), span.start(), span.end());
    return tools.get(key, k -> new Tools(decoder.apply((JsonArray) JsonValues.decode(index.bytes(), span)), k));
  }
}
