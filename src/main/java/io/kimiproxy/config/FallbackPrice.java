package io.kimiproxy.config;

/**
 * What a provider's models without a price of their own cost (a {@code <provider>/<model>} call
 * names no alias, so no {@code input_price}): USD per million prompt and completion tokens.
 */
public record FallbackPrice(double inputPrice, double outputPrice) {}
