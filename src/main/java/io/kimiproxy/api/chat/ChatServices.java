package io.kimiproxy.api.chat;

import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.guardrails.ToolCallInspector;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.features.cache.ResponseCache;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.kimiproxy.features.clients.ClientMonitor;
import io.kimiproxy.features.limits.RateLimiter;
import io.kimiproxy.features.limits.QuotaTracker;

/**
 * Everything the chat pipeline works with, named: routing and the providers' wire formats and
 * health; the context steps; the governance of spending (limits, budgets, cache); the ledger,
 * events and client monitor it reports to; the tool-call guardrails; smart routing.
 */
public record ChatServices(ModelResolver resolver, WireAdapters adapters, UpstreamClient upstream,
                           ProviderHealthRegistry health, TokenCounter tokens, ContextSteps context,
                           RateLimiter limiter, QuotaTracker quotas, ResponseCache cache,
                           LedgerWriter ledger, EventSink events, ClientMonitor clients, SecretScrubber scrubber,
                           ToolCallInspector toolCalls, SmartStep smart) {}
