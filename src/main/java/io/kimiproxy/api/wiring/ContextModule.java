package io.kimiproxy.api.wiring;

import io.kimiproxy.api.chat.ContextSteps;
import io.kimiproxy.features.compaction.CompactionRoutes;
import io.kimiproxy.features.contextmap.ContextRoutes;
import io.kimiproxy.features.sanitizer.SanitizerRoutes;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.features.contextmap.ContextStore;
import io.kimiproxy.core.db.Outage;
import io.kimiproxy.features.compaction.OutageCompactionStore;
import io.kimiproxy.features.compaction.SqlCompactionStore;
import io.kimiproxy.features.contextmap.OutageContextStore;
import io.kimiproxy.features.contextmap.SqlContextStore;
import io.kimiproxy.features.sanitizer.OutageSanitizerStore;
import io.kimiproxy.features.sanitizer.SqlSanitizerStore;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.sanitizer.SanitizerStore;
import io.kimiproxy.features.compaction.Compactor;
import io.kimiproxy.features.compaction.LoopbackSummarizer;
import io.kimiproxy.features.contextmap.ContextMapper;
import io.kimiproxy.proxy.routing.ContextModels;
import io.kimiproxy.features.contextmap.PhaseTracker;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.features.sanitizer.Sanitizer;
import io.kimiproxy.features.sanitizer.SecretRedactor;
import io.vertx.ext.web.Router;

/** Context economy: measuring, the context map and phases, the sanitizer, compaction (issue 4). */
public final class ContextModule implements Module {
  private final ContextSteps steps;
  private final ContextStore contextStore;
  private final Sanitizer sanitizer;
  private final SanitizerStore sanitizerStore;
  private final Compactor compactor;

  private ContextModule(ContextSteps steps, ContextStore contextStore, Sanitizer sanitizer, SanitizerStore sanitizerStore,
                        Compactor compactor) {
    this.steps = steps;
    this.contextStore = contextStore;
    this.sanitizer = sanitizer;
    this.sanitizerStore = sanitizerStore;
    this.compactor = compactor;
  }

  public static ContextModule create(Foundation f, EventSink events) {
    ProxyConfig config = f.config();
    // What a request reads and writes rides out a database outage (a team's PostgreSQL restarting).
    Outage outage = new Outage(f.storage()::unavailable);
    ContextStore contextStore = new OutageContextStore(new SqlContextStore(f.storage().pool(), f.storage().dialect()), outage);
    SanitizerStore sanitizerStore = new OutageSanitizerStore(
        new SqlSanitizerStore(f.storage().pool(), f.storage().dialect()), outage);
    Sanitizer sanitizer = new Sanitizer(config.sanitizer(), new SecretRedactor(config.secrets()), f.tokens());
    PromptWork work = new PromptWork(f.vertx(), f.tokens());
    SelfAddress self = f.self();
    Compactor compactor = new Compactor(config.compaction(), new OutageCompactionStore(new SqlCompactionStore(f.storage().pool(), f.storage().dialect()), outage),
        new LoopbackSummarizer(f.vertx(), self.host(), self::port, f.internal()), work, events, f.tokens());
    ContextSteps steps = new ContextSteps(work, f.tokens(), new ContextModels(config.models(), config.compaction()),
        new PhaseTracker(config.context(), contextStore, events), new ContextMapper(config.context()),
        contextStore, events, sanitizer, sanitizerStore, compactor);
    return new ContextModule(steps, contextStore, sanitizer, sanitizerStore, compactor);
  }

  public ContextSteps steps() {
    return steps;
  }

  @Override
  public void mount(Router router) {
    new ContextRoutes(contextStore).mount(router);
    new SanitizerRoutes(sanitizer, sanitizerStore).mount(router);
    new CompactionRoutes(compactor, contextStore).mount(router);
  }
}
