package io.kimiproxy.api.http;

import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** The router's frame: body limits and the error replies for what no route handles. */
public final class ApiRouter {
  private ApiRouter() {}

  public static Router create(Vertx vertx, long maxBodyBytes) {
    Router router = Router.router(vertx);
    router.errorHandler(413, ctx -> ErrorReplies.send(ctx, ProxyError.payloadTooLarge(maxBodyBytes)));
    router.errorHandler(404, ctx -> ErrorReplies.send(ctx,
        ProxyError.notFound("not_found", "No route for " + ctx.request().method() + " " + ctx.request().path() + ".")));
    router.errorHandler(405, ctx -> ErrorReplies.send(ctx,
        ProxyError.of(405, "invalid_request_error", "method_not_allowed",
            ctx.request().method() + " is not allowed on " + ctx.request().path() + ".")));
    router.errorHandler(500, ctx -> ErrorReplies.send(ctx, ErrorReplies.asProxyError(ctx.failure())));
    return router;
  }
}
