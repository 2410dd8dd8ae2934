package io.kimiproxy.proxy.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A complete (non-streaming) answer in OpenAI's {@code chat.completion} shape.
 *
 * @param body  the bytes to send the client
 * @param usage the OpenAI usage object, or null when the provider reported none
 * @param json  the parsed answer (for features that inspect it)
 */
public record NonStreamReply(Buffer body, JsonObject usage, JsonObject json) {}
