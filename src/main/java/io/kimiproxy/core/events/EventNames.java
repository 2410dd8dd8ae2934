package io.kimiproxy.core.events;

/** Names of the events the proxy publishes (WebSocket, logs): one place, so producers and the dashboard agree. */
public final class EventNames {
  public static final String INIT = "init";
  public static final String REQUEST = "request";
  public static final String SESSION_UPDATED = "session_updated";
  public static final String CONTEXT_MAP = "context_map";
  public static final String ALERT = "alert";
  public static final String STREAMING_ERROR = "streaming_error";
  public static final String PROVIDER_STATE = "provider_state";
  public static final String MODEL_FALLBACK = "model_fallback";
  public static final String PHASE_CHANGED = "phase_changed";
  public static final String SANITIZER = "sanitizer";
  public static final String COMPACTION = "compaction";
  public static final String RATE_LIMIT = "rate_limit";
  public static final String QUOTA = "quota";
  public static final String CLIENT_UPDATED = "client_updated";
  /** A tool call a guardrail flagged or blocked. */
  public static final String GUARDRAIL = "guardrail";
  /** An agent run changed: queued, started, ended (the run's summary, as GET /api/agents/{id}/runs lists it). */
  public static final String AGENT_RUN = "agent_run";
  /** A smart alias chose a candidate (the scores; see docs/routing.md). */
  public static final String ROUTING_DECISION = "routing_decision";

  private EventNames() {}
}
