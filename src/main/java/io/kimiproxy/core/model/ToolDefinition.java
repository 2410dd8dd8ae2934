package io.kimiproxy.core.model;

import io.vertx.core.json.JsonObject;

/**
 * A function the model may call.
 *
 * @param parameters its JSON schema, or null when it takes none
 * @param extra      fields of the client's definition the proxy passes on where they mean something
 *                   ({@code strict}, {@code cache_control}), or null
 */
public record ToolDefinition(String name, String description, JsonObject parameters, JsonObject extra) {}
