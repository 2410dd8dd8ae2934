package io.kimiproxy.proxy.chain;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.RequestSteps;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.proxy.inbound.InboundFormat;
import io.kimiproxy.proxy.routing.Route;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One chat request on its way through the pipeline: who sent it and through which API, the request
 * as it stands, what the shared steps learned (window, prompt, phase, routes), and how it ended.
 * A feature keeps its own state in an {@link Attribute}, never in a field here.
 */
public final class ChatExchange {
  private final String id = UUID.randomUUID().toString();
  private final long startNanos = System.nanoTime();
  private final long startMs = System.currentTimeMillis();
  private final RoutingContext http;
  private final InboundFormat format;
  private final Caller caller;
  private final Map<Attribute<?>, Object> attributes = new HashMap<>(8);
  private final RequestSteps.Tally steps = new RequestSteps.Tally();
  private String sessionId;
  private ChatRequest request;
  private MessageList clientMessages;
  private Window window = Window.UNKNOWN;
  private PromptCount promptCount;
  private Phase phase = Phase.EXPANSION;
  private List<Route> routes;
  private Route route;
  private int attempt;
  private long attemptStartNanos;
  private long attemptStartMs;
  private Supplier<Future<Void>> answerer;
  private final Outcome outcome = new Outcome();

  /**
   * Who sent the request.
   *
   * @param client    the client kind's label (continue, cline, claude-code, ...)
   * @param kind      "chat" for clients; another ledger kind ("summary", "agent") for the proxy's own calls
   * @param clientKey which of the proxy's client keys was used ("key-2", "alice"), or null; never the key
   */
  public record Caller(String client, String kind, String clientKey) {
    public boolean internal() {
      return !kind.equals("chat");
    }
  }

  /** How the exchange ended, as the ledger records it. */
  private static final class Outcome {
    Usage usage;
    boolean usageEstimated;
    Long ttfbMs;
    int status = 200;
    ProxyError error;
    boolean streamBroken;
    boolean cacheHit;
    double savedUsd;
  }

  public ChatExchange(RoutingContext http, InboundFormat format, Caller caller) {
    this.http = http;
    this.format = format;
    this.caller = caller;
  }

  public String id() {
    return id;
  }

  public long startNanos() {
    return startNanos;
  }

  public long startMs() {
    return startMs;
  }

  public long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  public Caller caller() {
    return caller;
  }

  /** A call the proxy made to itself: context features leave it alone. */
  public boolean internal() {
    return caller.internal();
  }

  public InboundFormat format() {
    return format;
  }

  public Vertx vertx() {
    return http.vertx();
  }

  public String header(String name) {
    return http.request().getHeader(name);
  }

  public MultiMap headers() {
    return http.request().headers();
  }

  /** The client's body, read whole (up to the body limit) before the pipeline starts. */
  public Buffer body() {
    return http.body().buffer();
  }

  public HttpServerResponse response() {
    return http.response();
  }

  public String sessionId() {
    return sessionId;
  }

  public void sessionId(String id) {
    this.sessionId = id;
  }

  public ChatRequest request() {
    return request;
  }

  /** What goes upstream from now on (a step changed the conversation, the model...). */
  public void request(ChatRequest next) {
    if (request == null) clientMessages = next.messages();
    this.request = next;
  }

  /** The messages as the client sent them, before any step changed them. */
  public MessageList clientMessages() {
    return clientMessages;
  }

  public Window window() {
    return window;
  }

  public void window(Window next) {
    this.window = next;
  }

  public PromptCount promptCount() {
    return promptCount;
  }

  public void promptCount(PromptCount count) {
    this.promptCount = count;
  }

  public Phase phase() {
    return phase;
  }

  public void phase(Phase next) {
    this.phase = next;
  }

  public <T> T get(Attribute<T> key) {
    @SuppressWarnings("unchecked")
    T value = (T) attributes.get(key);
    return value;
  }

  public <T> void put(Attribute<T> key, T value) {
    attributes.put(key, value);
  }

  /** Queue time and what the steps changed (counts, never content), for the request's ledger row. */
  public RequestSteps.Tally steps() {
    return steps;
  }

  public List<Route> routes() {
    return routes;
  }

  public void routes(List<Route> plan) {
    this.routes = plan;
    this.route = plan.get(0);
  }

  /** The route of the current (at the end: the last) attempt; null before routing. */
  public Route route() {
    return route;
  }

  public int attempt() {
    return attempt;
  }

  public void startAttempt(Route attemptRoute) {
    route = attemptRoute;
    attempt++;
    attemptStartNanos = System.nanoTime();
    attemptStartMs = System.currentTimeMillis();
  }

  public long attemptStartMs() {
    return attemptStartMs;
  }

  public long attemptElapsedMs() {
    return (System.nanoTime() - attemptStartNanos) / 1_000_000;
  }

  /** Answers the request instead of the providers (a cache hit). */
  public void answerWith(Supplier<Future<Void>> answer) {
    this.answerer = answer;
  }

  public Supplier<Future<Void>> answerer() {
    return answerer;
  }

  /** The answer came from the response cache: no provider call, and what it would have cost. */
  public void servedFromCache(double savedUsd) {
    outcome.cacheHit = true;
    outcome.savedUsd = savedUsd;
  }

  public boolean cacheHit() {
    return outcome.cacheHit;
  }

  public double savedUsd() {
    return outcome.savedUsd;
  }

  public Usage usage() {
    return outcome.usage;
  }

  public boolean usageEstimated() {
    return outcome.usageEstimated;
  }

  public void usage(Usage usage, boolean estimated) {
    outcome.usage = usage;
    outcome.usageEstimated = estimated;
  }

  public Long ttfbMs() {
    return outcome.ttfbMs;
  }

  public void ttfbMs(Long ms) {
    outcome.ttfbMs = ms;
  }

  public int status() {
    return outcome.status;
  }

  public ProxyError error() {
    return outcome.error;
  }

  public void failed(ProxyError failure) {
    outcome.error = failure;
    outcome.status = failure.status();
  }

  /** The stream had begun when it failed: the client got a 200 and then an error event. */
  public boolean streamBroken() {
    return outcome.streamBroken;
  }

  public void streamBroke() {
    outcome.streamBroken = true;
  }

  /** Bytes of the answer reached the client: from here on, nothing can be tried again. */
  public boolean committed() {
    return http.response().headWritten();
  }
}
