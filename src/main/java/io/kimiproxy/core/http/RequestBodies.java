package io.kimiproxy.core.http;

import io.vertx.ext.web.handler.BodyHandler;

/** Reading request bodies: whole, in memory, up to a limit; nothing is written to disk. */
public final class RequestBodies {
  private RequestBodies() {}

  public static BodyHandler upTo(long maxBodyBytes) {
    return BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
  }
}
