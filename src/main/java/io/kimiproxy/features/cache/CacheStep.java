package io.kimiproxy.features.cache;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.proxy.chain.Attribute;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.stream.ChunkRecorder;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The response cache in the request's path: after routing (the key names the alias and the
 * request as it goes upstream), before any provider call. A hit is answered from the cache in the
 * form it was asked (a stream replays as a stream, in the client's API); a miss that ends well is
 * kept. Only deterministic requests use it unless the client says {@code X-Kimi-Cache: on}; the
 * response header {@code X-Kimi-Cache-Status} says what happened.
 */
public final class CacheStep implements ChatStep {
  private static final Logger LOG = Logger.getLogger(CacheStep.class.getName());
  static final String STATUS_HEADER = "X-Kimi-Cache-Status";
  private static final Attribute<Entry> ENTRY = new Attribute<>("cache");

  private final ResponseCache cache;

  /**
   * This request's key, and what the client was sent, kept for storing (a whole body or a stream's
   * chunks). An answer that reports its usage is stored the moment it is complete, before the client
   * has its last byte, so the client's next identical request finds it on any event loop.
   */
  private static final class Entry {
    final String key;
    String body;
    ChunkRecorder recorder;
    boolean stored;

    Entry(String key) {
      this.key = key;
    }
  }

  public CacheStep(ResponseCache cache) {
    this.cache = cache;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    CacheDirective directive = CacheDirective.parse(x.header(CacheDirective.HEADER));
    if (directive == null) {
      throw ProxyError.invalidRequest(CacheDirective.HEADER + " must be on, off or refresh.", null);
    }
    boolean eligible = directive == CacheDirective.ON || directive == CacheDirective.REFRESH
        || directive == CacheDirective.DEFAULT && CacheKey.deterministic(x.request());
    if (!cache.enabled() || x.internal() || directive == CacheDirective.OFF || !eligible) {
      x.response().putHeader(STATUS_HEADER, "bypass");
      return Future.succeededFuture();
    }
    Entry entry = new Entry(CacheKey.of(x.request(), x.route().alias()));
    x.put(ENTRY, entry);
    if (directive == CacheDirective.REFRESH) {
      x.response().putHeader(STATUS_HEADER, "refresh");
      return Future.succeededFuture();
    }
    return cache.lookup(entry.key).map(answer -> {
      x.response().putHeader(STATUS_HEADER, answer != null ? "hit" : "miss");
      if (answer != null) x.answerWith(() -> replay(x, answer));
      return null;
    });
  }

  @Override
  public StreamDecoder watchStream(ChatExchange x, Route route, StreamDecoder decoder) {
    Entry entry = x.get(ENTRY);
    if (entry == null) return decoder;
    // What the client sees (after the guardrails) is what a cache hit will replay.
    entry.recorder = ChunkRecorder.around(decoder, () -> {
      if (entry.recorder.usage() != null) store(x, entry, route, Usage.fromOpenAi(entry.recorder.usage()));
    });
    return entry.recorder;
  }

  @Override
  public NonStreamReply watchWhole(ChatExchange x, Route route, NonStreamReply reply) {
    Entry entry = x.get(ENTRY);
    if (entry == null) return reply;
    entry.body = reply.body().toString();
    if (reply.usage() != null) store(x, entry, route, Usage.fromOpenAi(reply.usage()));
    return reply;
  }

  /** An answer that ended well and was not stored yet (its usage is the proxy's estimate) is stored now. */
  @Override
  public void finished(ChatExchange x, RequestRecord row) {
    Entry entry = x.get(ENTRY);
    if (entry == null || entry.stored || x.cacheHit() || x.error() != null || x.usage() == null) return;
    store(x, entry, x.route(), x.usage());
  }

  /** Keeps an answer; it never fails the request. */
  private void store(ChatExchange x, Entry entry, Route route, Usage usage) {
    CachedAnswer answer = answer(x, entry, route, usage);
    if (answer == null) return;
    entry.stored = true;
    cache.store(entry.key, answer, x.caller().client())
        .onFailure(e -> LOG.log(Level.WARNING, "could not keep an answer in the cache: " + e.getMessage()));
  }

  /** Answers from the cache: the recorded chunks as a stream, or the recorded body, in the client's API. */
  private static Future<Void> replay(ChatExchange x, CachedAnswer answer) {
    x.servedFromCache(answer.costUsd());
    Usage usage = new Usage(answer.promptTokens(), answer.completionTokens(), 0, 0);
    x.usage(usage, false);
    x.ttfbMs(x.elapsedMs());
    ChatRequest request = x.request();
    HttpServerResponse response = x.response();
    JsonObject usageJson = answer.usage() != null ? answer.usage() : usage.toOpenAi();
    if (!answer.stream()) {
      JsonObject json = new JsonObject(answer.body());
      Buffer body = x.format().whole(new NonStreamReply(Buffer.buffer(answer.body()), usageJson, json), request);
      response.setStatusCode(200).putHeader("Content-Type", "application/json").end(body);
      return Future.succeededFuture();
    }
    ClientStream stream = x.format().stream(request);
    stream.head(response);
    JsonObject last = null;
    for (String chunk : answer.chunks()) {
      last = new JsonObject(chunk);
      Buffer bytes = stream.chunk(Chunk.relayed(last, chunk));
      if (bytes.length() > 0) response.write(bytes);
    }
    response.end(stream.end(last, usageJson));
    return Future.succeededFuture();
  }

  private static CachedAnswer answer(ChatExchange x, Entry entry, Route route, Usage u) {
    double cost = route.model().cost(u.promptTokens(), u.cachedTokens(), u.completionTokens());
    if (x.request().stream()) {
      List<String> chunks = entry.recorder == null ? null : entry.recorder.chunks();
      if (chunks == null) return null;
      return new CachedAnswer(true, null, chunks, entry.recorder.usage(), route.alias(), route.provider().name(),
          u.promptTokens(), u.completionTokens(), cost);
    }
    if (entry.body == null) return null;
    return new CachedAnswer(false, entry.body, List.of(), u.toOpenAi(), route.alias(), route.provider().name(),
        u.promptTokens(), u.completionTokens(), cost);
  }
}
