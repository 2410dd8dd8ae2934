package io.kimiproxy.proxy.stream;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonObject;

/**
 * How a relayed stream ended.
 *
 * @param usage          the provider's last reported usage (OpenAI shape), or null
 * @param completionText what the model produced (text, reasoning, tool arguments), to estimate
 *                       completion tokens when the provider reported none
 * @param ttfbMs         time from the request's arrival to the first chunk sent to the client;
 *                       null when nothing was sent (the response is untouched and may still be retried)
 * @param error          why the stream broke, or null
 * @param clientClosed   the client went away before the end
 */
public record RelayOutcome(JsonObject usage, String completionText, Long ttfbMs, ProxyError error,
                           boolean clientClosed) {}
