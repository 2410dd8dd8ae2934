package io.kimiproxy.core.model;

/**
 * Estimated prompt size of a request, split the way the context features need it.
 *
 * @param total      all prompt tokens: messages, tool definitions and the reply priming
 * @param tools      tokens spent on tool definitions
 * @param perMessage tokens of each message, in order, overhead included
 */
public record PromptCount(int total, int tools, int[] perMessage) {}
