package io.kimiproxy.config;

/**
 * The client APIs besides Chat Completions ({@code [inbound.*]}).
 *
 * @param anthropic how the model names of Anthropic Messages clients (Claude Code) map to aliases
 */
public record InboundConfig(ModelMapping anthropic) {
  public static final InboundConfig DEFAULTS = new InboundConfig(ModelMapping.NONE);
}
