package io.kimiproxy.features.guardrails;

/**
 * One complete tool call of a model's answer, as the client would receive it.
 *
 * @param index     the call's position among the answer's calls (as the provider numbered it)
 * @param id        the provider's call id (may be null for providers that send none)
 * @param arguments the arguments text as the model wrote it (normally JSON, not always valid)
 */
public record ToolCall(int index, String id, String name, String arguments) {}
