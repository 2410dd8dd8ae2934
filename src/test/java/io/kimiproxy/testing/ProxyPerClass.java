package io.kimiproxy.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestProxy} shared by a test class (starting one per test would cost more than most
 * tests), with the upstream's stubs and request log cleared before each test:
 * {@code @RegisterExtension static final ProxyPerClass PROXY = new ProxyPerClass(config);}.
 * Tests that read the ledger keep apart by sending their own X-Session-Id.
 */
public final class ProxyPerClass implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final String providersAndModels;
  private final String serverExtra;
  private TestProxy proxy;

  public ProxyPerClass(String providersAndModels) {
    this(providersAndModels, "");
  }

  public ProxyPerClass(String providersAndModels, String serverExtra) {
    this.providersAndModels = providersAndModels;
    this.serverExtra = serverExtra;
  }

  public TestProxy get() {
    return proxy;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    proxy = TestProxy.start(providersAndModels, serverExtra);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    proxy.upstream().resetAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    proxy.close();
  }
}
