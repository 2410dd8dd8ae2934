package io.kimiproxy.features.logs;

import io.kimiproxy.core.events.EventNames;
import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per event worth a log line: a breaker changing state, a fallback, a compaction, a
 * guardrail's flag or block, an alert, an agent run's end. It reads the events every feature
 * already publishes (the live hub hands them over on its own context), so no feature logs twice.
 * Fields are picked, never copied whole: a guardrail's preview or a run's input stay out.
 */
public final class EventLog {
  static final String LOGGER = "io.kimiproxy.events";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  public void accept(String type, JsonObject data) {
    switch (type) {
      case EventNames.PROVIDER_STATE -> {
        String breaker = data.getString("breaker");
        log("closed".equals(breaker) ? Level.INFO : Level.WARNING, LogLine.of("breaker")
            .with("provider", data.getString("provider")).with("state", breaker)
            .with("error_rate", data.getValue("error_rate")));
      }
      case EventNames.MODEL_FALLBACK -> log(Level.INFO, LogLine.of("fallback")
          .with("id", data.getString("request_id")).with("session", data.getString("session"))
          .with("from", data.getString("from")).with("to", data.getString("to")).with("reason", data.getString("reason")));
      case EventNames.COMPACTION -> log(Level.INFO, LogLine.of("compaction")
          .with("session", data.getString("session")).with("trigger", data.getString("trigger"))
          .with("tokens_before", data.getValue("tokens_before")).with("tokens_after", data.getValue("tokens_after"))
          .with("summary_source", data.getString("summary_source")));
      case EventNames.GUARDRAIL -> {
        String decision = data.getString("decision");
        log("blocked".equals(decision) ? Level.WARNING : Level.INFO, LogLine.of("guardrail")
            .with("id", data.getString("request_id")).with("session", data.getString("session"))
            .with("client", data.getString("client")).with("tool", data.getString("tool"))
            .with("type", data.getString("type")).with("decision", decision).with("rule", data.getString("rule"))
            .with("pattern", data.getString("pattern")));
      }
      case EventNames.ALERT -> {
        String level = data.getString("level");
        log("critical".equals(level) ? Level.SEVERE : Level.WARNING, LogLine.of("alert")
            .with("kind", data.getString("kind")).with("level", level).with("message", data.getString("message")));
      }
      case EventNames.AGENT_RUN -> {
        String status = data.getString("status");
        if ("queued".equals(status) || "running".equals(status)) return;
        log(Level.INFO, LogLine.of("agent_run").with("agent", data.getString("agent")).with("run", data.getString("id"))
            .with("status", status).with("duration_ms", data.getValue("duration_ms")));
      }
      default -> { }
    }
  }

  private static void log(Level level, LogLine line) {
    if (LOG.isLoggable(level)) LOG.log(line.record(level, LOGGER));
  }
}
