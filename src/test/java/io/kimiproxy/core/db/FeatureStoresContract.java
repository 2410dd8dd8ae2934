package io.kimiproxy.core.db;

import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kimiproxy.core.model.Phase;
import io.kimiproxy.features.agents.AgentRun;
import io.kimiproxy.features.agents.AgentRunStore;
import io.kimiproxy.features.agents.RunError;
import io.kimiproxy.features.agents.RunLogLine;
import io.kimiproxy.features.agents.RunStatus;
import io.kimiproxy.features.agents.SqlAgentRunStore;
import io.kimiproxy.features.compaction.CompactionRecord;
import io.kimiproxy.features.compaction.CompactionState;
import io.kimiproxy.features.compaction.SqlCompactionStore;
import io.kimiproxy.features.contextmap.ContextMap;
import io.kimiproxy.features.contextmap.ContextPart;
import io.kimiproxy.features.contextmap.SqlContextStore;
import io.kimiproxy.features.guardrails.GuardActionRecord;
import io.kimiproxy.features.guardrails.GuardDecision;
import io.kimiproxy.features.guardrails.SqlGuardActionStore;
import io.kimiproxy.config.ToolCallType;
import io.kimiproxy.features.importers.ClineTask;
import io.kimiproxy.features.importers.ClineUsage;
import io.kimiproxy.features.importers.SqlClineTaskStore;
import io.kimiproxy.features.importers.UpsertCounts;
import io.kimiproxy.features.sanitizer.MaskedOutput;
import io.kimiproxy.features.sanitizer.SanitizerCounts;
import io.kimiproxy.features.sanitizer.SqlSanitizerStore;
import io.kimiproxy.features.smartrouting.RoutingDecision;
import io.kimiproxy.features.smartrouting.SqlRoutingDecisionStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every feature's store, the same on every engine. */
interface FeatureStoresContract extends StorageUnderTest {
  RunError GONE = new RunError(503, "server_error", "agent_interrupted", "stopped");

  private AgentRunStore runs() {
    return runs("here");
  }

  private AgentRunStore runs(String instance) {
    return new SqlAgentRunStore(storage().pool(), storage().dialect(), instance);
  }

  @Test
  default void should_read_back_every_field_of_an_agent_run_as_it_moves_on() {
    AgentRun queued = AgentRun.queued("r1", "bot", "p/m", "fix the bug", 1000);
    await(runs().save(queued));
    assertEquals(queued, await(runs().find("bot", "r1")));
    AgentRun failed = queued.started(1100).logged(1100, "started").answered("req-1", 12, 0)
        .logged(1200, "answered HTTP 500").ended(1200, RunStatus.FAILED, new RunError(500, "server_error", null, "boom"));
    await(runs().save(failed));
    assertEquals(failed, await(runs().find("bot", "r1")));
  }

  @Test
  default void should_find_a_run_only_under_its_own_agent_and_list_newest_first() {
    await(runs().save(AgentRun.queued("a", "bot", "p/m", "", 1000)));
    await(runs().save(AgentRun.queued("b", "bot", "p/m", "", 3000)));
    await(runs().save(AgentRun.queued("c", "bot", "p/m", "", 2000)));
    await(runs().save(AgentRun.queued("e", "bot", "p/m", "", 2000)));
    await(runs().save(AgentRun.queued("d", "other", "p/m", "", 4000)));
    assertNull(await(runs().find("other", "a")));
    assertEquals(List.of("b", "e", "c", "a"), await(runs().list("bot", 10)).stream().map(AgentRun::id).toList());
    assertEquals(List.of("b", "e"), await(runs().list("bot", 2)).stream().map(AgentRun::id).toList());
  }

  @Test
  default void should_interrupt_only_unfinished_runs_and_append_the_reason_to_their_log() {
    AgentRun queued = AgentRun.queued("q", "bot", "p/m", "", 1000);
    AgentRun running = AgentRun.queued("r", "bot", "p/m", "", 1000).started(1100);
    AgentRun done = AgentRun.queued("s", "bot", "p/m", "", 1000).started(1100).succeeded(1200, "ok");
    for (AgentRun run : List.of(queued, running, done)) await(runs().save(run));
    assertEquals(2, await(runs().interruptUnfinished(5000, GONE, "interrupted: restart")));
    assertEquals(running.logged(5000, "interrupted: restart").ended(5000, RunStatus.INTERRUPTED, GONE),
        await(runs().find("bot", "r")));
    assertEquals(List.of(new RunLogLine(1000, "queued"), new RunLogLine(5000, "interrupted: restart")),
        await(runs().find("bot", "q")).log());
    assertEquals(done, await(runs().find("bot", "s")));
  }

  @Test
  default void should_interrupt_only_the_runs_of_the_instance_that_restarts() {
    await(runs("a").save(AgentRun.queued("of-a", "bot", "p/m", "", 1000).started(1100)));
    await(runs("b").save(AgentRun.queued("of-b", "bot", "p/m", "", 1000).started(1100)));
    assertEquals(1, await(runs("a").interruptUnfinished(5000, GONE, "interrupted: restart")));
    assertEquals(RunStatus.RUNNING, await(runs().find("bot", "of-b")).status());
  }

  @Test
  default void should_keep_compactions_newest_first_and_replace_a_session_state() {
    SqlCompactionStore store = new SqlCompactionStore(storage().pool(), storage().dialect());
    for (int i = 1; i <= 3; i++) {
      await(store.save(new CompactionRecord(0, "s", 100 + i, "auto", 1, 4, "h" + i, "summary " + i, "model", "m",
          900, 300)));
    }
    List<CompactionRecord> latest = await(store.forSession("s", 2));
    assertEquals(List.of("h3", "h2"), latest.stream().map(CompactionRecord::replacedHash).toList());
    assertEquals(CompactionState.fresh("t"), await(store.state("t")));
    await(store.saveState(new CompactionState("t", true, 5, 1)));
    await(store.saveState(new CompactionState("t", false, 9, 2)));
    assertEquals(new CompactionState("t", false, 9, 2), await(store.state("t")));
  }

  @Test
  default void should_keep_the_latest_context_map_of_a_session() {
    SqlContextStore store = new SqlContextStore(storage().pool(), storage().dialect(), vertx());
    List<ContextPart> parts = List.of(new ContextPart(0, "system", "system", 12, null, "You are"));
    await(store.save(new ContextMap("s", "r1", 1, "m", 1000, 100, 400, 0.4, Phase.EXPANSION, 10, parts)));
    ContextMap later = new ContextMap("s", "r2", 2, "m", 1000, 100, 900, 0.9, Phase.CONVERGENCE, 0, parts);
    await(store.save(later));
    assertEquals(later, await(store.latest("s")));
    assertEquals(Phase.CONVERGENCE, await(store.phase("s")));
    assertNull(await(store.latest("none")));
  }

  @Test
  default void should_count_guardrail_decisions_per_session() {
    SqlGuardActionStore store = new SqlGuardActionStore(storage().pool(), storage().dialect());
    for (GuardDecision d : List.of(GuardDecision.BLOCKED, GuardDecision.FLAGGED, GuardDecision.BLOCKED)) {
      await(store.append(new GuardActionRecord(0, 10, "r", "s", "cline", "m", true, 0, "c1", "bash",
          ToolCallType.TERMINAL_COMMAND, d, "rule", "rm -rf", "why", "rm -rf /", 12)));
    }
    await(store.append(new GuardActionRecord(0, 20, "r", "other", "cline", "m", false, 0, null, "write",
        ToolCallType.FILE_WRITE, GuardDecision.ALLOWED, null, null, null, "{}", 2)));
    List<GuardActionRecord> latest = await(store.latest("s", 2));
    assertEquals(2, latest.size());
    assertEquals(GuardDecision.BLOCKED, latest.get(0).decision());
    assertEquals(4, await(store.latest(null, 10)).size());
    long blocked = await(store.counts("s")).stream().filter(c -> c.decision() == GuardDecision.BLOCKED)
        .mapToLong(c -> c.count()).sum();
    assertEquals(2, blocked);
  }

  @Test
  default void should_store_a_mask_once_and_add_up_sanitizer_counts() {
    SqlSanitizerStore store = new SqlSanitizerStore(storage().pool(), storage().dialect());
    MaskedOutput mask = new MaskedOutput("h1", "s", 5, 300, "a long tool output");
    await(store.saveMasks(List.of(mask)));
    await(store.saveMasks(List.of(mask, new MaskedOutput("h2", "s", 6, 10, "x"))));
    assertEquals(mask, await(store.mask("h1")));
    await(store.addCounts("s", new SanitizerCounts(1, 200, 1)));
    await(store.addCounts("s", new SanitizerCounts(2, 100, 0)));
    await(store.addCounts("t", new SanitizerCounts(1, 1, 1)));
    assertEquals(new SanitizerCounts(3, 300, 1), await(store.bySession(10)).get("s"));
    assertEquals(new SanitizerCounts(4, 301, 2), await(store.totals()));
  }

  @Test
  default void should_list_routing_decisions_newest_first_per_alias() {
    SqlRoutingDecisionStore store = new SqlRoutingDecisionStore(storage().pool(), storage().dialect());
    JsonArray candidates = new JsonArray().add(new JsonObject().put("alias", "a").put("score", 0.5));
    await(store.append(new RoutingDecision(0, 1, "r1", "s", "smart", "a", 10, candidates)));
    await(store.append(new RoutingDecision(0, 2, "r2", "s", "smart", "b", 20, candidates)));
    await(store.append(new RoutingDecision(0, 3, "r3", "s", "other", "c", 30, candidates)));
    List<RoutingDecision> smart = await(store.latest("smart", 10));
    assertEquals(List.of("r2", "r1"), smart.stream().map(RoutingDecision::requestId).toList());
    assertEquals(candidates, smart.get(0).candidates());
    assertEquals(3, await(store.latest(null, 10)).size());
  }

  @Test
  default void should_upsert_cline_tasks_and_sum_them_by_day_and_model() {
    SqlClineTaskStore store = new SqlClineTaskStore(storage().pool(), storage().dialect());
    ClineTask a = new ClineTask("a", LedgerContract.T0 + 10, 100, 10, 1, 2, 0.5, "m1", "p1");
    ClineTask b = new ClineTask("b", LedgerContract.T0 + DAY, 50, 5, 0, 0, 0.25, "m2", "p2");
    assertEquals(new UpsertCounts(2, 0, 0), await(store.upsert(List.of(a, b))));
    ClineTask grown = new ClineTask("a", LedgerContract.T0 + 10, 200, 20, 1, 2, 1.0, "m1", "p1");
    assertEquals(new UpsertCounts(0, 1, 1), await(store.upsert(List.of(grown, b))));
    assertEquals(2L, await(store.count()));
    ClineUsage usage = await(store.usage(LedgerContract.T0, LedgerContract.T0 + 2 * DAY));
    assertEquals(250, usage.total().tokensIn());
    assertEquals(1.25, usage.total().costUsd(), 1e-9);
    assertEquals(List.of("2025-01-01", "2025-01-02"), usage.byDay().stream().map(g -> g.key()).toList());
    assertEquals(List.of("m1", "m2"), usage.byModel().stream().map(g -> g.key()).toList());
  }
}
