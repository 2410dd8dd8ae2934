package io.kimiproxy.api.wiring;

import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.db.Dialect;
import io.kimiproxy.core.db.Outage;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.features.compaction.CompactStep;
import io.kimiproxy.features.compaction.CompactionRoutes;
import io.kimiproxy.features.compaction.CompactionStore;
import io.kimiproxy.features.compaction.Compactor;
import io.kimiproxy.features.compaction.LoopbackSummarizer;
import io.kimiproxy.features.compaction.OverflowStep;
import io.kimiproxy.features.compaction.RememberingCompactionStore;
import io.kimiproxy.features.compaction.OutageCompactionStore;
import io.kimiproxy.features.compaction.SqlCompactionStore;
import io.kimiproxy.features.contextmap.ContextMapStep;
import io.kimiproxy.features.contextmap.ContextMapper;
import io.kimiproxy.features.contextmap.ContextRoutes;
import io.kimiproxy.features.contextmap.ContextStore;
import io.kimiproxy.features.contextmap.PhaseTracker;
import io.kimiproxy.features.contextmap.OutageContextStore;
import io.kimiproxy.features.contextmap.SqlContextStore;
import io.kimiproxy.features.sanitizer.SanitizeStep;
import io.kimiproxy.features.sanitizer.Sanitizer;
import io.kimiproxy.features.sanitizer.SanitizerRoutes;
import io.kimiproxy.features.sanitizer.SanitizerStore;
import io.kimiproxy.features.sanitizer.SecretRedactor;
import io.kimiproxy.features.sanitizer.OutageSanitizerStore;
import io.kimiproxy.features.sanitizer.SqlSanitizerStore;
import io.kimiproxy.proxy.chain.Measure;
import io.kimiproxy.proxy.routing.ContextModels;
import io.vertx.ext.web.Router;

/** Context economy: measuring, the context map and phases, the sanitizer, compaction (issue 4). */
public final class ContextModule implements Module {
  private final Measure measure;
  private final SanitizeStep sanitize;
  private final CompactStep compact;
  private final OverflowStep overflow;
  private final ContextMapStep contextMap;
  private final ContextStore contextStore;
  private final Sanitizer sanitizer;
  private final SanitizerStore sanitizerStore;
  private final Compactor compactor;

  private ContextModule(Measure measure, SanitizeStep sanitize, CompactStep compact, OverflowStep overflow,
                        ContextMapStep contextMap, ContextStore contextStore, Sanitizer sanitizer,
                        SanitizerStore sanitizerStore, Compactor compactor) {
    this.measure = measure;
    this.sanitize = sanitize;
    this.compact = compact;
    this.overflow = overflow;
    this.contextMap = contextMap;
    this.contextStore = contextStore;
    this.sanitizer = sanitizer;
    this.sanitizerStore = sanitizerStore;
    this.compactor = compactor;
  }

  public static ContextModule create(Foundation f, EventSink events) {
    ProxyConfig config = f.config();
    // What a request reads and writes rides out a database outage (a team's PostgreSQL restarting).
    Outage outage = new Outage(f.storage()::unavailable);
    ContextStore contextStore = new OutageContextStore(new SqlContextStore(f.storage().pool(), f.storage().dialect(), f.vertx()), outage);
    SanitizerStore sanitizerStore = new OutageSanitizerStore(
        new SqlSanitizerStore(f.storage().pool(), f.storage().dialect()), outage);
    Sanitizer sanitizer = new Sanitizer(config.sanitizer(), new SecretRedactor(config.secrets()), f.tokens(),
        f.memory().sanitizerBytes());
    PromptWork work = new PromptWork(f.vertx(), f.tokens());
    Measure measure = new Measure(work, new ContextModels(config.models(), config.compaction()));
    SelfAddress self = f.self();
    CompactionStore compactions = new SqlCompactionStore(f.storage().pool(), f.storage().dialect());
    // Remembering is for one process owning its sessions; a team's instances share them in PostgreSQL.
    if (f.storage().dialect() == Dialect.SQLITE) {
      compactions = new RememberingCompactionStore(compactions, f.memory().sanitizerBytes() / 8);
    }
    // Outside the remembering store: what a read during an outage could not find is not remembered.
    Compactor compactor = new Compactor(config.compaction(), new OutageCompactionStore(compactions, outage),
        new LoopbackSummarizer(f.vertx(), self.host(), self::port, f.internal()), work, events, f.tokens());
    CompactStep compact = new CompactStep(compactor, new PhaseTracker(config.context(), contextStore, events), measure);
    return new ContextModule(measure, new SanitizeStep(sanitizer, sanitizerStore, measure, events), compact,
        new OverflowStep(compact, measure, events),
        new ContextMapStep(new ContextMapper(config.context()), contextStore, measure, f.tokens(), events, f.vertx()),
        contextStore, sanitizer, sanitizerStore, compactor);
  }

  public Measure measure() {
    return measure;
  }

  public SanitizeStep sanitize() {
    return sanitize;
  }

  public CompactStep compact() {
    return compact;
  }

  public OverflowStep overflow() {
    return overflow;
  }

  public ContextMapStep contextMap() {
    return contextMap;
  }

  @Override
  public void mount(Router router) {
    new ContextRoutes(contextStore).mount(router);
    new SanitizerRoutes(sanitizer, sanitizerStore).mount(router);
    new CompactionRoutes(compactor, contextStore).mount(router);
  }
}
