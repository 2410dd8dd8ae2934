package io.kimiproxy.core;

import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kimiproxy.features.agents.AgentRun;
import io.kimiproxy.features.agents.RunError;
import io.kimiproxy.features.agents.RunLogLine;
import io.kimiproxy.features.agents.RunStatus;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.features.agents.SqliteAgentRunStore;
import io.kimiproxy.testing.TestVertx;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqliteAgentRunStoreTest {
  private static final RunError GONE = new RunError(503, "server_error", "agent_interrupted", "stopped");
  private Vertx vertx;
  private Database db;
  private SqliteAgentRunStore store;

  @BeforeEach
  void open() throws Exception {
    vertx = TestVertx.create();
    db = await(Database.open(vertx, Files.createTempDirectory("runs").resolve("runs.db")));
    store = new SqliteAgentRunStore(db.pool());
  }

  @AfterEach
  void close() {
    await(db.close());
    await(vertx.close());
  }

  @Test
  void should_read_back_every_field_of_a_run_as_it_moves_on() {
    AgentRun queued = AgentRun.queued("r1", "bot", "p/m", "fix the bug", 1000);
    await(store.save(queued));
    assertEquals(queued, await(store.find("bot", "r1")));
    AgentRun failed = queued.started(1100).logged(1100, "started").answered("req-1", 12, 0)
        .logged(1200, "answered HTTP 500").ended(1200, RunStatus.FAILED, new RunError(500, "server_error", null, "boom"));
    await(store.save(failed));
    assertEquals(failed, await(store.find("bot", "r1")));
    AgentRun done = AgentRun.queued("r2", "bot", "p/m", "x", 2000).started(2000).answered("req-2", 5, 7)
        .succeeded(2500, "the answer");
    await(store.save(done));
    assertEquals(done, await(store.find("bot", "r2")));
    assertEquals(500L, done.durationMs(9999));
  }

  @Test
  void should_find_a_run_only_under_its_own_agent_and_list_newest_first() {
    await(store.save(AgentRun.queued("a", "bot", "p/m", "", 1000)));
    await(store.save(AgentRun.queued("b", "bot", "p/m", "", 3000)));
    await(store.save(AgentRun.queued("c", "bot", "p/m", "", 2000)));
    await(store.save(AgentRun.queued("d", "other", "p/m", "", 4000)));
    assertNull(await(store.find("other", "a")));
    assertEquals(List.of("b", "c", "a"), await(store.list("bot", 10)).stream().map(AgentRun::id).toList());
    assertEquals(List.of("b", "c"), await(store.list("bot", 2)).stream().map(AgentRun::id).toList());
  }

  @Test
  void should_interrupt_only_unfinished_runs_and_append_the_reason_to_their_log() {
    AgentRun queued = AgentRun.queued("q", "bot", "p/m", "", 1000);
    AgentRun running = AgentRun.queued("r", "bot", "p/m", "", 1000).started(1100);
    AgentRun done = AgentRun.queued("s", "bot", "p/m", "", 1000).started(1100).succeeded(1200, "ok");
    for (AgentRun run : List.of(queued, running, done)) await(store.save(run));

    assertEquals(2, await(store.interruptUnfinished(5000, GONE, "interrupted: restart")));

    AgentRun after = await(store.find("bot", "r"));
    assertEquals(running.logged(5000, "interrupted: restart").ended(5000, RunStatus.INTERRUPTED, GONE), after);
    assertEquals(List.of(new RunLogLine(1000, "queued"), new RunLogLine(5000, "interrupted: restart")),
        await(store.find("bot", "q")).log());
    assertEquals(done, await(store.find("bot", "s")));
    assertEquals(0, await(store.interruptUnfinished(6000, GONE, "again")));
  }
}
