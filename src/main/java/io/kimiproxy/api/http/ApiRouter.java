package io.kimiproxy.api.http;

import io.kimiproxy.api.security.JsonBodiesOnly;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.core.http.SecurityHeaders;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The router's frame: what holds for every request, before and whatever its route: the security
 * headers (errors and 404s included), HEAD answered as GET without the body, the request guard,
 * JSON-only bodies on requests that change something, and the error replies for what no route
 * handles.
 */
public final class ApiRouter {
  private ApiRouter() {}

  /**
   * @param shapes mounts, before anything may refuse a request, the routes that say in which API's
   *               error shape it is answered (see {@link ErrorReplies#SHAPE}); OpenAI's otherwise
   * @param guard  the first check of who may ask anything at all (see RequestGuard)
   */
  public static Router create(Vertx vertx, long maxBodyBytes, Consumer<Router> shapes, Handler<RoutingContext> guard) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      SecurityHeaders.apply(ctx.response());
      ctx.next();
    });
    // The server leaves the body out of a HEAD response by itself; the route is GET's.
    router.route().method(HttpMethod.HEAD).handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
    shapes.accept(router);
    router.route().handler(guard);
    router.route().handler(new JsonBodiesOnly());
    // The router's own refusals come before any route ran: each carries the headers too.
    errors(router, 400, ctx -> ctx.failure() instanceof ProxyError error ? error
        : ProxyError.of(400, ErrorType.INVALID_REQUEST, "malformed_request",
            "The request is malformed (its target, Host header or body)."));
    errors(router, 413, ctx -> ProxyError.payloadTooLarge(maxBodyBytes));
    errors(router, 404, ctx -> ProxyError.notFound("not_found",
        "No route for " + ctx.request().method() + " " + ctx.request().path() + "."));
    errors(router, 405, ctx -> ProxyError.of(405, ErrorType.INVALID_REQUEST, "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path() + "."));
    errors(router, 500, ctx -> ErrorReplies.asProxyError(ctx.failure()));
    return router;
  }

  private static void errors(Router router, int status, Function<RoutingContext, ProxyError> error) {
    router.errorHandler(status, ctx -> {
      SecurityHeaders.apply(ctx.response());
      ErrorReplies.send(ctx, error.apply(ctx));
    });
  }
}
