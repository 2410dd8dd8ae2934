package io.kimiproxy.testing.engines;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for one test class: started before its first test, stopped and removed after the
 * last (engines start per class, not per test: the whole suite stays quick on two cores).
 *
 * <pre>{@code @RegisterExtension static final PostgresEngine ENGINE = new PostgresEngine();}</pre>
 */
public final class PostgresEngine extends LocalPostgres implements BeforeAllCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    remove();
  }
}
