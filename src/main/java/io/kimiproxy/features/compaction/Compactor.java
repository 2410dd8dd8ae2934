package io.kimiproxy.features.compaction;

import io.kimiproxy.config.CompactionConfig;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.model.Tools;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.ContentKey;
import io.kimiproxy.features.contextmap.PartKinds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Replaces the middle of a long history by one summary, and keeps doing so on every later turn.
 *
 * <p>A compaction is stored with the hash of the client's messages it stands for. Clients resend
 * their whole history each turn, so {@link #reapply} finds those same messages again and puts the
 * same summary in their place: the provider sees a stable prefix (its prompt cache keeps working)
 * and the summarizer runs once per compaction, not once per turn.
 */
public final class Compactor {
  static final String SUMMARY_HEADER = "[kimi-proxy compacted %d earlier messages into this summary]\n";
  private static final int RECORDS_CHECKED = 5;
  private static final int TRANSCRIPT_MESSAGE_CHARS = 4_000;
  private static final int RECENT_SESSIONS = 32;

  private final CompactionConfig config;
  private final CompactionStore store;
  private final Summarizer summarizer;
  private final PromptWork work;
  private final EventSink events;
  private final TokenCounter tokens;
  private final Map<String, Recent> recent = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
      return size() > RECENT_SESSIONS;
    }
  };

  /** A session's latest history as sent: what a preview works on (memory only, never stored). */
  private record Recent(MessageList messages, Tools tools, String countingModel) {}

  /** @param summarizer used when {@code summarizer_model} is set */
  public Compactor(CompactionConfig config, CompactionStore store, Summarizer summarizer, PromptWork work,
                   EventSink events, TokenCounter tokens) {
    this.tokens = tokens;
    this.config = config;
    this.store = store;
    this.summarizer = summarizer;
    this.work = work;
    this.events = events;
  }

  /** The history as sent, and the stored compaction it carries (null when none applies). */
  public record Applied(MessageList messages, CompactionRecord record) {}

  /** A new compaction: the history to send and its record. */
  public record Compacted(MessageList messages, CompactionRecord record) {}

  public boolean enabled() {
    return config.enabled();
  }

  /** Puts the newest stored compaction whose messages this history still holds in their place. */
  public Future<Applied> reapply(String session, MessageList client, MessageList messages) {
    return store.forSession(session, RECORDS_CHECKED).compose(records -> records.isEmpty()
        ? Future.succeededFuture(new Applied(messages, null))
        : work.sized(client, () -> {
          for (CompactionRecord r : records) {
            if (r.start() + r.count() <= client.size() && r.replacedHash().equals(hash(client, r.start(), r.start() + r.count()))) {
              return new Applied(messages.replaced(r.start(), r.start() + r.count(), List.of(summaryMessage(r))), r);
            }
          }
          return new Applied(messages, null);
        }));
  }

  /**
   * Which compaction is due on this request: "manual" when one was asked for, "auto" when the
   * session is in CONVERGENCE and the cooldown and the cap allow it, else null. A session back in
   * EXPANSION starts a new run of automatic compactions.
   */
  public Future<String> due(String session, Phase phase, long nowMs) {
    if (!config.enabled()) return Future.succeededFuture(null);
    return store.state(session).compose(state -> {
      if (state.pending()) return Future.succeededFuture("manual");
      if (phase == Phase.EXPANSION) {
        return state.consecutiveAuto() == 0 ? Future.succeededFuture((String) null)
            : store.saveState(new CompactionState(session, false, state.lastMs(), 0)).map((String) null);
      }
      boolean cooled = nowMs - state.lastMs() >= config.cooldownSeconds() * 1000;
      boolean capped = state.consecutiveAuto() >= config.maxConsecutiveAuto();
      return Future.succeededFuture(config.auto() && cooled && !capped ? "auto" : null);
    });
  }

  /**
   * Compacts the history as it stands (a stored compaction may already be in it). Completes with
   * null when there is nothing worth compacting (too few messages, or a summary no smaller).
   */
  public Future<Compacted> compact(String session, String trigger, MessageList client, Applied applied, long nowMs,
                                   String countingModel, Tools tools) {
    ToLongFunction<MessageList> tokens = history -> this.tokens.countPrompt(countingModel, history, tools).total();
    MessageList messages = applied.messages();
    CompactionPlan plan = CompactionPlan.of(messages, config.keepLastExchanges());
    if (plan == null) return Future.succeededFuture(null);
    CompactionRecord previous = applied.record();
    int start = previous != null ? Math.min(plan.start(), previous.start()) : plan.start();
    int clientStart = toClient(start, previous);
    int clientEnd = toClient(plan.end(), previous);
    List<Message> replaced = messages.subList(start, plan.end());
    Future<String[]> summary = config.summarizerModel() == null
        ? Future.succeededFuture(new String[] {ExtractiveSummary.of(replaced), "extractive"})
        : summarizer.summarize(session, config.summarizerModel(), transcript(replaced))
            .map(text -> new String[] {text, "model"})
            .recover(e -> Future.succeededFuture(new String[] {ExtractiveSummary.of(replaced), "extractive"}));
    return summary.compose(s -> work.sized(client, () -> {
      String hash = hash(client, clientStart, clientEnd);
      CompactionRecord draft = new CompactionRecord(0, session, nowMs, trigger, clientStart, clientEnd - clientStart,
          hash, s[0], s[1], s[1].equals("model") ? config.summarizerModel() : null, 0, 0);
      MessageList compacted = messages.replaced(start, plan.end(), List.of(summaryMessage(draft)));
      long before = tokens.applyAsLong(messages);
      long after = tokens.applyAsLong(compacted);
      return new Compacted(compacted, new CompactionRecord(0, session, nowMs, trigger, clientStart, clientEnd - clientStart,
          hash, s[0], s[1], draft.summaryModel(), before, after));
    })).compose(c -> c.record().tokensAfter() >= c.record().tokensBefore() ? Future.succeededFuture((Compacted) null)
        : store.save(c.record()).compose(v -> store.state(session).compose(state -> store.saveState(new CompactionState(
            session, false, nowMs, state.consecutiveAuto() + (trigger.equals("auto") ? 1 : 0)))))
        .map(v -> {
          CompactionRecord r = c.record();
          events.publish(EventNames.COMPACTION, new JsonObject().put("session", session).put("trigger", trigger)
              .put("tokens_before", r.tokensBefore()).put("tokens_after", r.tokensAfter())
              .put("saved", r.tokensBefore() - r.tokensAfter()).put("summary_source", r.summarySource()));
          return c;
        }));
  }

  /** Marks the session for compaction on its next request. */
  public Future<Void> requestCompaction(String session) {
    return store.state(session).compose(state ->
        store.saveState(new CompactionState(session, true, state.lastMs(), state.consecutiveAuto())));
  }

  public Future<List<CompactionRecord>> history(String session, int limit) {
    return store.forSession(session, limit);
  }

  /** Keeps the session's latest history in memory for {@link #preview}. */
  public void remember(String session, MessageList messages, Tools tools, String countingModel) {
    synchronized (recent) {
      recent.put(session, new Recent(messages, tools, countingModel));
    }
  }

  /**
   * What compacting the session's latest history would do (with the extractive summary's size),
   * without a model and without storing anything; null when the session sent nothing since start.
   */
  public JsonObject preview(String session) {
    Recent r;
    synchronized (recent) {
      r = recent.get(session);
    }
    if (r == null) return null;
    MessageList messages = r.messages();
    ToLongFunction<MessageList> tokens = history -> this.tokens.countPrompt(r.countingModel(), history, r.tools()).total();
    CompactionPlan plan = CompactionPlan.of(messages, config.keepLastExchanges());
    long before = tokens.applyAsLong(messages);
    JsonObject out = new JsonObject().put("session", session).put("messages", messages.size()).put("tokens_before", before).put("keep_last_exchanges", config.keepLastExchanges())
        .put("summary_source", config.summarizerModel() == null ? "extractive" : "model");
    if (plan == null) return out.put("compactable", false).put("tokens_after", before);
    String summary = ExtractiveSummary.of(messages.subList(plan.start(), plan.end()));
    CompactionRecord draft = new CompactionRecord(0, "", 0, "preview", plan.start(), plan.size(), "", summary,
        "extractive", null, 0, 0);
    return out.put("compactable", true)
        .put("tokens_after", tokens.applyAsLong(messages.replaced(plan.start(), plan.end(), List.of(summaryMessage(draft)))))
        .put("kept_head", new JsonArray().add(0).add(plan.start() - 1))
        .put("replaced", new JsonArray().add(plan.start()).add(plan.end() - 1))
        .put("kept_tail", new JsonArray().add(plan.end()).add(messages.size() - 1));
  }

  private static int toClient(int index, CompactionRecord previous) {
    return previous == null || index <= previous.start() ? index : index - 1 + previous.count();
  }

  static Message summaryMessage(CompactionRecord r) {
    return Message.text(Role.USER, SUMMARY_HEADER.formatted(r.count()) + r.summary());
  }

  /** The key of the client's messages {@code [from, to)}: what a stored compaction stands for. */
  static String hash(MessageList messages, int from, int to) {
    ContentKey key = new ContentKey(from, to);
    for (int i = from; i < to; i++) key = key.then(messages.key(i));
    return key.hex();
  }

  private static String transcript(List<Message> messages) {
    StringBuilder out = new StringBuilder();
    for (Message m : messages) {
      String text = m.text();
      if (text.length() > TRANSCRIPT_MESSAGE_CHARS) text = text.substring(0, TRANSCRIPT_MESSAGE_CHARS) + " …";
      out.append(PartKinds.isToolResult(m) ? "TOOL RESULT" : m.role().wire().toUpperCase(Locale.ROOT))
          .append(": ").append(text);
      if (!m.toolCalls().isEmpty()) {
        out.append(" [tool calls:");
        for (ToolCall call : m.toolCalls()) out.append(' ').append(call.name()).append(call.arguments());
        out.append(']');
      }
      out.append("\n\n");
    }
    return out.toString();
  }
}
