package io.kimiproxy.api.security;

import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.config.ServerConfig;
import io.kimiproxy.core.http.HostNames;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.Secret;
import io.kimiproxy.features.live.DashboardRoutes;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The first handler of every request. A web page the user happens to open must not be able to
 * spend their provider keys or read their prompts, so:
 * <ul>
 *   <li>the Host header must be {@code localhost}, an IP literal or a configured name, matched
 *       exactly (a DNS rebinding attack arrives with the attacker's domain name, which may well
 *       begin with {@code 127.0.0.1.});</li>
 *   <li>a browser Origin must be the proxy's own or a configured one;</li>
 *   <li>with {@code server.api_keys} set, every request but the health check and the dashboard's
 *       page (which holds no data) carries a valid key, as a bearer token or (Anthropic's SDKs)
 *       in {@code x-api-key}. Browsers cannot set Authorization on a
 *       WebSocket, so on {@link DashboardRoutes#WEBSOCKET_PATH} the key may also come as {@code ?key=} or as a
 *       subprotocol {@code kimi-key.<base64url of the key>} next to {@link #WEBSOCKET_PROTOCOL};</li>
 *   <li>the proxy's calls to itself ({@link InternalCalls}) carry its per-process token instead.</li>
 * </ul>
 */
public final class RequestGuard implements Handler<RoutingContext> {
  /** The subprotocol the server selects, so the browser accepts the handshake that carried the key. */
  public static final String WEBSOCKET_PROTOCOL = "kimi-proxy";
  private static final String KEY_PROTOCOL_PREFIX = "kimi-key.";
  private static final Set<String> PUBLIC_PATHS = Set.of("/health", "/");
  /** Anthropic's SDKs (Claude Code) send the key here rather than as a bearer token. */
  private static final String API_KEY_HEADER = "x-api-key";
  private static final Pattern PAGE_FILE = Pattern.compile(DashboardRoutes.PAGE_FILES);
  /**
   * The routing context's data item naming the client key a request carried: "key-N" for the
   * N-th of server.api_keys, the table's name for a named key ([keys.NAME]), never the key itself;
   * absent when no key was needed.
   */
  public static final String CLIENT_KEY = "kimi-proxy.client-key";

  private final ServerConfig server;
  private final InternalCalls internal;

  public RequestGuard(ServerConfig server, InternalCalls internal) {
    this.server = server;
    this.internal = internal;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    if (authority == null || !hostAllowed(authority.host())) {
      reject(ctx, ProxyError.forbidden("Host '" + (authority == null ? "" : authority.host())
          + "' is not allowed: add it to server.allowed_hosts if you reach the proxy by that name."));
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !originAllowed(origin, authority)) {
      reject(ctx, ProxyError.forbidden("Cross-origin requests from '" + origin
          + "' are not allowed: add the origin to server.allowed_origins to permit it."));
      return;
    }
    String internalToken = request.getHeader(InternalCalls.TOKEN_HEADER);
    if (internalToken != null) {
      if (!internal.accepts(internalToken)) {
        reject(ctx, ProxyError.unauthorized("Invalid internal call token."));
        return;
      }
      String kind = request.getHeader(InternalCalls.KIND_HEADER);
      ctx.put(InternalCalls.KIND_KEY, kind == null || kind.isBlank() || kind.equals("chat") ? "internal" : kind);
      ctx.next();
      return;
    }
    if (server.authRequired() && !isPublic(request)) {
      int key = keyNumber(request);
      if (key == 0) {
        reject(ctx, ProxyError.unauthorized("Missing or invalid client key: send 'Authorization: Bearer <key>' with one of server.api_keys."));
        return;
      }
      ctx.put(CLIENT_KEY, server.keys().get(key - 1).name());
    }
    ctx.next();
  }

  /** Exact names only: {@code localhost}, an IP literal, {@code server.host} or one of {@code server.allowed_hosts}. */
  boolean hostAllowed(String host) {
    String h = HostNames.normalized(host);
    if (h.equals("localhost") || HostNames.isIpLiteral(h)) return true;
    if (h.equals(HostNames.normalized(server.host()))) return true;
    return server.allowedHosts().stream().anyMatch(a -> HostNames.normalized(a).equals(h));
  }

  /**
   * The proxy's own origin is the address the request came to, on the same port; the loopback
   * names are one machine, so {@code http://localhost:PORT} is as much the proxy as
   * {@code http://127.0.0.1:PORT}. Else one of {@code server.allowed_origins}.
   */
  private boolean originAllowed(String origin, HostAndPort authority) {
    if (server.allowedOrigins().stream().anyMatch(o -> o.equalsIgnoreCase(origin))) return true;
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
      return false;
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int originPort = uri.getPort() > 0 ? uri.getPort() : defaultPort;
    // A Host without a port is the scheme's default one (behind a TLS front end, 443).
    int ownPort = authority.port() > 0 ? authority.port() : defaultPort;
    if (originPort != ownPort) return false;
    String originHost = HostNames.normalized(uri.getHost());
    String ownHost = HostNames.normalized(authority.host());
    return originHost.equals(ownHost) || HostNames.isLoopback(originHost) && HostNames.isLoopback(ownHost);
  }

  private static boolean isPublic(HttpServerRequest request) {
    String path = request.path();
    return PUBLIC_PATHS.contains(path) || request.method() == HttpMethod.GET && PAGE_FILE.matcher(path).matches();
  }

  /** The 1-based position among the client keys of the key the request carries, 0 for none. */
  private int keyNumber(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
        : request.getHeader(API_KEY_HEADER) != null ? request.getHeader(API_KEY_HEADER).trim()
        : request.path().equals(DashboardRoutes.WEBSOCKET_PATH) ? webSocketKey(request) : null;
    if (presented == null) return 0;
    int found = 0;
    for (int i = 0; i < server.keys().size(); i++) {
      Secret key = server.keys().get(i).key();
      // no early exit: timing tells nothing about which key nearly matched
      if (key.matches(presented) && found == 0) found = i + 1;
    }
    return found;
  }

  private static String webSocketKey(HttpServerRequest request) {
    String query = request.getParam("key");
    if (query != null) return query;
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (protocols == null) return null;
    for (String protocol : protocols.split(",")) {
      String p = protocol.trim();
      if (p.startsWith(KEY_PROTOCOL_PREFIX)) {
        try {
          return new String(Base64.getUrlDecoder().decode(p.substring(KEY_PROTOCOL_PREFIX.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static void reject(RoutingContext ctx, ProxyError error) {
    ErrorReplies.send(ctx, error);
  }
}
