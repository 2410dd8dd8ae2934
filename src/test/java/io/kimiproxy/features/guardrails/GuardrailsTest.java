package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.GuardRule;
import io.kimiproxy.config.GuardrailsConfig;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.util.Secret;
import io.kimiproxy.core.util.SecretScrubber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guardrails service: verdicts, what it stores and publishes, rules fixed per answer, the switch. */
class GuardrailsTest {
  private static final String KEY = "sk-live-configured-key-0123456789";
  private static final ToolCallContext CONTEXT = new ToolCallContext("req-1", "s-1", "cline", "kimi", true);

  private final List<GuardActionRecord> stored = new ArrayList<>();
  private final List<JsonObject> events = new ArrayList<>();
  private final GuardActionStore store = new GuardActionStore() {
    @Override
    public Future<Void> append(GuardActionRecord action) {
      stored.add(action);
      return Future.succeededFuture();
    }

    @Override
    public Future<List<GuardActionRecord>> latest(String sessionId, int limit) {
      return Future.succeededFuture(stored);
    }

    @Override
    public Future<List<GuardCount>> counts(String sessionId) {
      return Future.succeededFuture(List.of());
    }
  };

  private Guardrails guardrails(GuardRule.Action terminalAction) {
    GuardrailsConfig config = new GuardrailsConfig(true, Map.of(ToolCallType.TERMINAL_COMMAND,
        new GuardRule(true, false, 0, List.of(), List.of("rm -rf"), terminalAction)));
    return new Guardrails(config, store, (type, payload) -> {
      assertEquals(EventNames.GUARDRAIL, type);
      events.add(payload);
    }, new SecretScrubber(List.of(Secret.ofNullable(KEY))));
  }

  private static ToolCall command(String line) {
    return new ToolCall(0, "call_1", "execute_command", new JsonObject().put("command", line).encode());
  }

  @Test
  void should_block_store_and_publish_with_secrets_redacted() {
    ToolCallInspection inspection = guardrails(GuardRule.Action.BLOCK).open(CONTEXT);
    assertTrue(inspection.mayBlock());
    ToolCallVerdict verdict = inspection.inspect(command("OPENAI_API_KEY=" + KEY + " rm -rf /"));
    assertTrue(verdict.blocked());
    assertEquals("execute_command `OPENAI_API_KEY=[redacted] rm -rf /` (TERMINAL_COMMAND: matches blocked pattern 'rm -rf')",
        verdict.notice());
    GuardActionRecord action = stored.get(0);
    assertEquals("blocked", action.decision().label());
    assertEquals("req-1", action.requestId());
    assertEquals("OPENAI_API_KEY=[redacted] rm -rf /", action.preview());
    assertEquals(1, events.size());
    assertFalse(events.get(0).encode().contains(KEY));
    assertEquals("blocked", events.get(0).getString("decision"));
  }

  @Test
  void should_store_allowed_calls_without_publishing_them() {
    ToolCallInspection inspection = guardrails(GuardRule.Action.LOG).open(CONTEXT);
    assertFalse(inspection.mayBlock());
    assertEquals(ToolCallVerdict.PASS, inspection.inspect(command("ls -la")));
    assertEquals(ToolCallVerdict.PASS, inspection.inspect(command("rm -rf build")));
    assertEquals(List.of("allowed", "flagged"), stored.stream().map(a -> a.decision().label()).toList());
    assertEquals(1, events.size());
  }

  @Test
  void should_keep_an_answers_rules_when_they_change_while_it_streams() {
    Guardrails guardrails = guardrails(GuardRule.Action.LOG);
    ToolCallInspection started = guardrails.open(CONTEXT);
    guardrails.update(c -> c.withRule(ToolCallType.TERMINAL_COMMAND,
        new GuardRule(true, false, 0, List.of(), List.of("rm -rf"), GuardRule.Action.BLOCK)));
    assertFalse(started.inspect(command("rm -rf /")).blocked(), "its calls were never held back, so none can be removed");
    assertTrue(guardrails.open(CONTEXT).inspect(command("rm -rf /")).blocked());
  }

  @Test
  void should_open_no_inspection_while_switched_off() {
    Guardrails guardrails = guardrails(GuardRule.Action.BLOCK);
    guardrails.update(c -> c.withEnabled(false));
    assertNull(guardrails.open(CONTEXT));
    assertTrue(stored.isEmpty());
  }
}
