package io.kimiproxy.api.wiring;

import io.kimiproxy.core.http.HostNames;

/**
 * Where the proxy reaches itself for its own calls (compaction summaries, agent runs): known as
 * soon as the server listens, which is after the features that need it are built.
 */
public final class SelfAddress {
  private final String host;
  private volatile int port = -1;

  SelfAddress(String listenHost) {
    // Loopback, unless the proxy listens on one specific other address.
    this.host = HostNames.isLoopback(listenHost) || listenHost.equals("0.0.0.0") || listenHost.equals("::")
        ? "127.0.0.1" : listenHost;
  }

  public String host() {
    return host;
  }

  public int port() {
    if (port < 0) throw new IllegalStateException("the proxy is not listening yet");
    return port;
  }

  public void bind(int actualPort) {
    port = actualPort;
  }
}
