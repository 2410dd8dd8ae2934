package io.kimiproxy.features.live;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestQuery;
import io.kimiproxy.core.ledger.UsageGroup;
import io.kimiproxy.core.ledger.UsageGrouping;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The {@code init} message: everything the dashboard shows, as of now. Built from named parts:
 * the ledger's sessions, recent requests and usage, the configured providers, and whatever a
 * feature registers with {@link #addPart} (sanitizer and compaction stats, alerts...). It also
 * remembers what events said that the ledger does not hold: the latest provider state, the latest
 * phase of a session (newer than its stored context map when that write failed), and the recent
 * model fallbacks (until the proxy restarts).
 */
public final class LiveSnapshot {
  private static final Logger LOG = Logger.getLogger(LiveSnapshot.class.getName());
  private static final int SESSIONS = 100;
  private static final int REQUESTS = 100;
  private static final int REMEMBERED = 1000;
  private static final int FALLBACKS = 50;

  private final LedgerWriter writer;
  private final Map<String, Supplier<Future<?>>> parts = new LinkedHashMap<>();
  private final Map<String, JsonObject> providerStates = lru();
  private final Map<String, String> phases = lru();
  private final Deque<JsonObject> fallbacks = new ArrayDeque<>();

  public LiveSnapshot(LedgerStore store, LedgerWriter writer, ProxyConfig config) {
    this.writer = writer;
    addPart("sessions", () -> store.sessions(SESSIONS).map(list -> {
      JsonArray out = new JsonArray();
      list.forEach(s -> {
        JsonObject session = s.toJson();
        String seen = phase(s.id());
        if (seen != null) session.put("phase", seen);
        out.add(session);
      });
      return out;
    }));
    addPart("requests", () -> store.latestRequests(RequestQuery.range(0, Long.MAX_VALUE), REQUESTS).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(r.toJson()));
      return out;
    }));
    addPart("usage", () -> usage(store));
    addPart("providers", () -> Future.succeededFuture(providers(config)));
    addPart("fallbacks", () -> Future.succeededFuture(recentFallbacks()));
  }

  /**
   * Adds a part to every snapshot from now on, under {@code name}; {@code part} gives its value
   * (a JsonObject, JsonArray or plain value). A part that fails is sent as null, never the whole snapshot.
   */
  public synchronized void addPart(String name, Supplier<Future<?>> part) {
    parts.put(name, part);
  }

  /** Keeps what an event says that the ledger cannot tell a later snapshot. */
  synchronized void remember(String type, JsonObject data, long ts) {
    switch (type) {
      case EventNames.PROVIDER_STATE -> {
        String provider = data.getString("provider", data.getString("name"));
        if (provider != null) providerStates.put(provider, data);
      }
      // phase_changed says where the session went in "to"; the others carry the phase itself.
      case EventNames.PHASE_CHANGED -> rememberPhase(data.getValue("session"), data.getValue("to"));
      case EventNames.CONTEXT_MAP -> rememberPhase(data.getValue("session"), data.getValue("phase"));
      case EventNames.SESSION_UPDATED -> rememberPhase(data.getValue("id"), data.getValue("phase"));
      case EventNames.MODEL_FALLBACK -> {
        if (fallbacks.size() == FALLBACKS) fallbacks.removeLast();
        fallbacks.addFirst(data.copy().put("ts", ts));
      }
      default -> { }
    }
  }

  private void rememberPhase(Object session, Object phase) {
    if (session instanceof String id && phase instanceof String name) phases.put(id, name);
  }

  private synchronized JsonArray recentFallbacks() {
    JsonArray out = new JsonArray();
    fallbacks.forEach(f -> out.add(f.copy()));
    return out;
  }

  /** Everything the ledger holds so far (flushed first) and every registered part. */
  Future<JsonObject> build() {
    List<String> names;
    List<Supplier<Future<?>>> suppliers;
    synchronized (this) {
      names = new ArrayList<>(parts.keySet());
      suppliers = new ArrayList<>(parts.values());
    }
    return writer.flush().compose(v -> {
      List<Future<?>> values = new ArrayList<>();
      for (int i = 0; i < suppliers.size(); i++) values.add(safely(names.get(i), suppliers.get(i)));
      return Future.all(values).map(all -> {
        JsonObject data = new JsonObject();
        for (int i = 0; i < names.size(); i++) data.put(names.get(i), all.resultAt(i));
        return data;
      });
    });
  }

  private static Future<?> safely(String name, Supplier<Future<?>> part) {
    try {
      return part.get().recover(e -> {
        LOG.warning("snapshot part '" + name + "' failed: " + e.getMessage());
        return Future.succeededFuture(null);
      });
    } catch (RuntimeException e) {
      LOG.warning("snapshot part '" + name + "' failed: " + e.getMessage());
      return Future.succeededFuture(null);
    }
  }

  private synchronized String phase(String session) {
    return phases.get(session);
  }

  /** Totals of today and of this month, in the proxy's time zone (the user's, on a local proxy). */
  private static Future<JsonObject> usage(LedgerStore store) {
    ZoneId zone = ZoneId.systemDefault();
    LocalDate today = LocalDate.now(zone);
    long dayStart = today.atStartOfDay(zone).toInstant().toEpochMilli();
    long monthStart = today.withDayOfMonth(1).atStartOfDay(zone).toInstant().toEpochMilli();
    long end = System.currentTimeMillis() + 1;
    return Future.all(store.usage(dayStart, end, UsageGrouping.MODEL), store.usage(monthStart, end, UsageGrouping.MODEL))
        .map(both -> new JsonObject()
            .put("today", totals(both.resultAt(0), dayStart))
            .put("month", totals(both.resultAt(1), monthStart)));
  }

  private static JsonObject totals(List<UsageGroup> groups, long from) {
    long requests = 0, prompt = 0, completion = 0;
    double cost = 0;
    for (UsageGroup g : groups) {
      requests += g.requests();
      prompt += g.promptTokens();
      completion += g.completionTokens();
      cost += g.costUsd();
    }
    return new JsonObject().put("from", from).put("requests", requests).put("prompt_tokens", prompt)
        .put("completion_tokens", completion).put("cost_usd", cost);
  }

  private synchronized JsonArray providers(ProxyConfig config) {
    JsonArray out = new JsonArray();
    for (ProviderConfig p : config.providers().values()) {
      JsonArray models = new JsonArray();
      for (ModelConfig m : config.models().values()) {
        if (m.provider().equals(p.name())) models.add(m.alias());
      }
      JsonObject provider = new JsonObject().put("name", p.name()).put("type", p.type().label())
          .put("configured", p.configured()).put("models", models);
      JsonObject state = providerStates.get(p.name());
      if (state != null) state.forEach(e -> provider.put(e.getKey(), e.getValue()));
      out.add(provider.put("name", p.name()));
    }
    return out;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > REMEMBERED;
      }
    };
  }
}
