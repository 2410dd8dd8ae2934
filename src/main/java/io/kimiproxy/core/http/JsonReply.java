package io.kimiproxy.core.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** Answers a route with the JSON its action produces, or with the failure in the API's error shape. */
public final class JsonReply {
  private JsonReply() {}

  public static void reply(RoutingContext ctx, Function<RoutingContext, Future<JsonObject>> action) {
    Future<JsonObject> result;
    try {
      result = action.apply(ctx);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(ctx::json).onFailure(e -> ErrorReplies.send(ctx.response(), ErrorReplies.asProxyError(e)));
  }
}
