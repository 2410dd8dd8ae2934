package io.kimiproxy.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link TestProxy} for all tests of a class (starting a proxy, WireMock and a database per
 * test would be slow on a shared machine): started before the first test, WireMock, the breakers
 * and the providers' cool-downs reset before each, closed after the last. Tests receive it as a {@code TestProxy} parameter.
 *
 * <pre>{@code @RegisterExtension static final SharedProxy PROXY = SharedProxy.with("...config...");}</pre>
 */
public final class SharedProxy implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {
  private final Supplier<TestProxy> starter;
  private TestProxy proxy;

  private SharedProxy(Supplier<TestProxy> starter) {
    this.starter = starter;
  }

  /** The default proxy of {@link TestProxy#start()}. */
  public static SharedProxy standard() {
    return new SharedProxy(TestProxy::start);
  }

  public static SharedProxy with(String providersAndModels) {
    return new SharedProxy(() -> TestProxy.start(providersAndModels));
  }

  public static SharedProxy with(String providersAndModels, String serverExtra) {
    return new SharedProxy(() -> TestProxy.start(providersAndModels, serverExtra));
  }

  /** The proxy, for fields and helpers outside test methods. */
  public TestProxy get() {
    return proxy;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    proxy = starter.get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    proxy.upstream().resetAll();
    proxy.server().providerHealth().resetBreakers();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (proxy != null) proxy.close();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestProxy.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return proxy;
  }
}
