package io.kimiproxy.proxy.wire;

import io.vertx.core.json.JsonObject;

/**
 * One event of a provider's stream, kept beside the chunk decoded from it when the client speaks
 * the provider's own format: the client is then sent this event as it came, and the chunk is what
 * the proxy's steps read (usage, guardrails, the cache).
 *
 * @param sequence its place in the provider's stream (0, 1, 2...): a client writer puts events back in
 *                 this order when a step held some of them
 * @param name     the SSE {@code event:} name, or null
 * @param data     the {@code data:} payload exactly as the provider sent it
 * @param json     the payload parsed (read only)
 */
public record NativeEvent(long sequence, String name, String data, JsonObject json) {}
