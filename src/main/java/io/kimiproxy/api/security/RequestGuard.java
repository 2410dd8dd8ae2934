package io.kimiproxy.api.security;

import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.config.ServerConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.Secret;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The first handler of every request. A web page the user happens to open must not be able to
 * spend their provider keys or read their prompts, so:
 * <ul>
 *   <li>the Host header must be a loopback name, an IP literal or a configured name (a DNS
 *       rebinding attack arrives with the attacker's domain name);</li>
 *   <li>a browser Origin must be the proxy's own or a configured one;</li>
 *   <li>with {@code server.api_keys} set, every request but the health check and the dashboard's
 *       page (which holds no data) carries a valid key, as a bearer token or (Anthropic's SDKs)
 *       in {@code x-api-key}. Browsers cannot set Authorization on a
 *       WebSocket, so on {@link #WEBSOCKET_PATH} the key may also come as {@code ?key=} or as a
 *       subprotocol {@code kimi-key.<base64url of the key>} next to {@link #WEBSOCKET_PROTOCOL};</li>
 *   <li>the proxy's calls to itself ({@link InternalCalls}) carry its per-process token instead.</li>
 * </ul>
 */
public final class RequestGuard implements Handler<RoutingContext> {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  public static final String WEBSOCKET_PATH = "/ws";
  /** The subprotocol the server selects, so the browser accepts the handshake that carried the key. */
  public static final String WEBSOCKET_PROTOCOL = "kimi-proxy";
  private static final String KEY_PROTOCOL_PREFIX = "kimi-key.";
  private static final Set<String> PUBLIC_PATHS = Set.of("/health", "/");
  /** Anthropic's SDKs (Claude Code) send the key here rather than as a bearer token. */
  private static final String API_KEY_HEADER = "x-api-key";
  /** The dashboard's files (static/): code and styles, no data. */
  public static final String PAGE_FILES = "/[A-Za-z0-9_-]+\\.(html|js|css)";
  private static final Pattern PAGE_FILE = Pattern.compile(PAGE_FILES);
  /**
   * The routing context's data item naming the client key a request carried: "key-N" for the
   * N-th of server.api_keys (never the key itself); absent when no key was needed.
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
      ctx.put(CLIENT_KEY, "key-" + key);
    }
    ctx.next();
  }

  boolean hostAllowed(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) return true; // IPv6 literal
    if (ServerConfig.isLoopback(h) || IPV4.matcher(h).matches()) return true;
    if (h.equals(server.host().toLowerCase(Locale.ROOT))) return true;
    return server.allowedHosts().stream().anyMatch(a -> a.equalsIgnoreCase(h));
  }

  private boolean originAllowed(String origin, HostAndPort authority) {
    String own = authority.host() + (authority.port() > 0 ? ":" + authority.port() : "");
    if (origin.equalsIgnoreCase("http://" + own) || origin.equalsIgnoreCase("https://" + own)) return true;
    return server.allowedOrigins().stream().anyMatch(o -> o.equalsIgnoreCase(origin));
  }

  private static boolean isPublic(HttpServerRequest request) {
    String path = request.path();
    return PUBLIC_PATHS.contains(path) || request.method() == HttpMethod.GET && PAGE_FILE.matcher(path).matches();
  }

  /** The 1-based position in server.api_keys of the key the request carries, 0 for none. */
  private int keyNumber(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
        : request.getHeader(API_KEY_HEADER) != null ? request.getHeader(API_KEY_HEADER).trim()
        : request.path().equals(WEBSOCKET_PATH) ? webSocketKey(request) : null;
    if (presented == null) return 0;
    int found = 0;
    for (int i = 0; i < server.apiKeys().size(); i++) {
      Secret key = server.apiKeys().get(i);
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
