package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;

/**
 * State the instances of a team share on Redis ({@code [shared]}): rate limits, budgets, alerts,
 * breakers and the live feed.
 *
 * @param redisUrl  {@code redis://[:password@]host:port[/db]}; a secret, since it may hold a password
 * @param failOpen  when Redis cannot be reached: true lets requests through unlimited (with an
 *                  alert), false refuses them with 503
 * @param timeoutMs longest wait for one Redis call before it counts as a failure
 * @param instance  this instance's name: in its alerts about Redis, on the agent runs it runs (default: host:port)
 */
public record SharedConfig(Secret redisUrl, boolean failOpen, long timeoutMs, String instance) {}
