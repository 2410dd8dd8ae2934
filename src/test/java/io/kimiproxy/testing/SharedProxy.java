package io.kimiproxy.testing;

import io.kimiproxy.core.events.EventSink;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestProxy} for a whole test class ({@code @RegisterExtension static final}): started
 * before the first test, WireMock stubs and scenarios cleared before each, closed after the last.
 * Tests keep their state apart with {@link TestProxy#newSession()}.
 */
public final class SharedProxy implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final String providersAndModels;
  private final EventSink events;
  private TestProxy proxy;

  public SharedProxy(String providersAndModels) {
    this(providersAndModels, EventSink.NONE);
  }

  public SharedProxy(String providersAndModels, EventSink events) {
    this.providersAndModels = providersAndModels;
    this.events = events;
  }

  public TestProxy proxy() {
    return proxy;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    proxy = TestProxy.start(providersAndModels, events);
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
