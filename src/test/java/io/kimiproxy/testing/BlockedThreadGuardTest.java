package io.kimiproxy.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The guard's verdicts on the checker's warnings, fed to its logger as Vert.x writes them. */
class BlockedThreadGuardTest {
  private final BlockedThreadGuard guard = new BlockedThreadGuard();

  private static void warn(String message, StackTraceElement... stack) {
    Exception blocked = new Exception("Thread blocked");
    blocked.setStackTrace(stack);
    LogRecord record = new LogRecord(Level.WARNING, message);
    record.setThrown(blocked);
    Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker").log(record);
  }

  private static StackTraceElement frame(String type, String method) {
    return new StackTraceElement(type, method, null, -1);
  }

  @Test
  void should_fail_the_test_with_the_blocked_threads_stack() {
    warn("Thread vert.x-eventloop-thread-0 has been blocked for 2900 ms, time limit is 500 ms",
        frame("io.kimiproxy.features.sanitizer.SecretRedactor", "scan"));

    AssertionError failure = assertThrows(AssertionError.class, () -> guard.afterEach(null));
    assertTrue(failure.getMessage().contains("blocked for 2900 ms") && failure.getMessage().contains("SecretRedactor.scan"),
        failure.getMessage());
  }

  @Test
  void should_let_a_thread_caught_loading_a_class_go() {
    warn("Thread vert.x-eventloop-thread-0 has been blocked for 900 ms, time limit is 500 ms",
        frame("java.lang.ClassLoader", "defineClass1"), frame("java.lang.ClassLoader", "loadClass"),
        frame("io.vertx.core.net.impl.NetServerImpl", "bind"));

    assertDoesNotThrow(() -> guard.afterEach(null));
  }

  @Test
  void should_let_a_thread_held_over_the_limit_by_a_collection_go() {
    GcPauses.record(ManagementFactory.getRuntimeMXBean().getUptime(), 300);
    warn("Thread vert.x-eventloop-thread-0 has been blocked for 700 ms, time limit is 500 ms",
        frame("io.vertx.core.json.jackson.JacksonCodec", "encodeJson"));

    assertDoesNotThrow(() -> guard.afterEach(null));
  }
}
