package io.kimiproxy.api.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.features.cache.CacheDirective;
import io.kimiproxy.features.cache.CacheKey;
import io.kimiproxy.features.cache.CachedAnswer;
import io.kimiproxy.features.cache.ResponseCache;
import io.kimiproxy.proxy.stream.SseFrames;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The response cache in the request's path: after routing (the key names the alias and the
 * request as it goes upstream), before any provider call. A hit is answered from the cache in the
 * form it was asked (a stream replays as a stream); a miss that ends well is kept. Only
 * deterministic requests use it unless the client says {@code X-Kimi-Cache: on}; the response
 * header {@code X-Kimi-Cache-Status} says what happened.
 */
final class CacheStep {
  private static final Logger LOG = Logger.getLogger(CacheStep.class.getName());
  static final String STATUS_HEADER = "X-Kimi-Cache-Status";

  private final ResponseCache cache;

  CacheStep(ResponseCache cache) {
    this.cache = cache;
  }

  Future<ChatExchange> lookup(ChatExchange x) {
    CacheDirective directive = CacheDirective.parse(x.ctx.request().getHeader(CacheDirective.HEADER));
    if (directive == null) {
      throw ProxyError.invalidRequest(CacheDirective.HEADER + " must be on, off or refresh.", null);
    }
    boolean eligible = directive == CacheDirective.ON || directive == CacheDirective.REFRESH
        || directive == CacheDirective.DEFAULT && CacheKey.deterministic(x.request);
    if (!cache.enabled() || x.internal() || directive == CacheDirective.OFF || !eligible) {
      x.ctx.response().putHeader(STATUS_HEADER, "bypass");
      return Future.succeededFuture(x);
    }
    x.cacheKey = CacheKey.of(x.request, x.route.alias());
    if (directive == CacheDirective.REFRESH) {
      x.ctx.response().putHeader(STATUS_HEADER, "refresh");
      return Future.succeededFuture(x);
    }
    return cache.lookup(x.cacheKey).map(answer -> {
      x.cached = answer;
      x.ctx.response().putHeader(STATUS_HEADER, answer != null ? "hit" : "miss");
      return x;
    });
  }

  /** Answers from the cache: the recorded chunks as a stream (usage only if asked), or the recorded body. */
  Future<Void> replay(ChatExchange x) {
    CachedAnswer answer = x.cached;
    x.cacheHit = true;
    x.savedUsd = answer.costUsd();
    x.usage = new Usage(answer.promptTokens(), answer.completionTokens(), 0, 0);
    x.ttfbMs = x.elapsedMs();
    HttpServerResponse response = x.ctx.response();
    if (!answer.stream()) {
      response.setStatusCode(200).putHeader("Content-Type", "application/json").end(answer.body());
      return Future.succeededFuture();
    }
    SseFrames.head(response);
    String last = null;
    for (String chunk : answer.chunks()) {
      response.write(SseFrames.event(chunk));
      last = chunk;
    }
    if (x.request.includeUsage() && answer.usage() != null) {
      JsonObject usageChunk = SseFrames.usageChunk(last == null ? null : new JsonObject(last), answer.usage());
      response.write(SseFrames.event(usageChunk.encode()));
    }
    response.end(SseFrames.DONE);
    return Future.succeededFuture();
  }

  /** Keeps an answer that ended well; storing happens after the client has it and never fails the request. */
  void store(ChatExchange x) {
    if (x.cacheKey == null || x.cacheHit || x.error != null || x.usage == null) return;
    CachedAnswer answer = answer(x);
    if (answer == null) return;
    cache.store(x.cacheKey, answer, x.client)
        .onFailure(e -> LOG.log(Level.WARNING, "could not keep an answer in the cache: " + e.getMessage()));
  }

  private static CachedAnswer answer(ChatExchange x) {
    Usage u = x.usage;
    double cost = x.route.model().cost(u.promptTokens(), u.cachedTokens(), u.completionTokens());
    if (x.request.stream()) {
      List<String> chunks = x.recorder == null ? null : x.recorder.chunks();
      if (chunks == null) return null;
      return new CachedAnswer(true, null, chunks, x.recorder.usage(), x.route.alias(), x.route.provider().name(),
          u.promptTokens(), u.completionTokens(), cost);
    }
    if (x.answerBody == null) return null;
    return new CachedAnswer(false, x.answerBody, List.of(), u.toOpenAi(), x.route.alias(), x.route.provider().name(),
        u.promptTokens(), u.completionTokens(), cost);
  }
}
