package io.kimiproxy.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;
import java.util.logging.Logger;

/**
 * One way to read where a request's body ends, or no request at all (RFC 9112 §6.1, §6.3). A
 * request with both {@code Content-Length} and {@code Transfer-Encoding}, or with a
 * {@code Transfer-Encoding} other than exactly {@code chunked} (repeated, listed, misspelt, on
 * HTTP/1.0), is read one way by one server and another way by the next: bytes of its body become a
 * second, smuggled request. Such a request is marked failed while its head is decoded; the server
 * then answers it 400 (see {@link InvalidRequests}) and closes the connection, so nothing after it
 * on that connection is ever read as a request.
 *
 * <p>Netty's decoder drops {@code Content-Length} when the request is also chunked, before Vert.x
 * sees the headers, and Vert.x has no option for this; so each HTTP/1.1 connection gets a decoder
 * that checks the framing headers as they arrived. The server must not offer h2c (cleartext
 * HTTP/2 upgrade), so that the HTTP/1.1 pipeline is complete when the connection is announced,
 * before its first byte is read.
 */
public final class StrictFraming {
  private static final Logger LOG = Logger.getLogger(StrictFraming.class.getName());
  /** The name Vert.x gives its request decoder in the channel pipeline. */
  private static final String DECODER = "httpDecoder";

  private StrictFraming() {}

  /** For {@code HttpServer.connectionHandler}: swaps in the checking decoder. */
  public static void install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof Http1xServerConnection http1)) return; // HTTP/2 frames bodies itself
    ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
    if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
      pipeline.replace(DECODER, DECODER, new CheckingDecoder(options));
    } else {
      // Only a Vert.x upgrade that renamed its decoder gets here: say so rather than go unguarded in silence.
      LOG.warning("no HTTP/1.1 decoder named '" + DECODER + "' to replace: ambiguous request framing is not refused");
    }
  }

  /** Why the request's framing is ambiguous, or null when it is not. */
  static String problem(HttpMessage message) {
    HttpHeaders headers = message.headers();
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) return null;
    if (message.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      return "Transfer-Encoding is not allowed in an HTTP/1.0 request.";
    }
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return "A request may carry Content-Length or Transfer-Encoding, not both.";
    }
    if (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
      return "Transfer-Encoding must be exactly 'chunked'.";
    }
    return null;
  }

  /** Thrown into the request's decoder result; never raised. */
  static final class AmbiguousFraming extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    AmbiguousFraming(String message) {
      super(message, null);
    }
  }

  private static final class CheckingDecoder extends VertxHttpRequestDecoder {
    /** Set by an ambiguous request: whatever follows it on the connection is not read as requests. */
    private boolean refused;

    CheckingDecoder(HttpServerOptions options) {
      super(options);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      if (refused) {
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      super.decode(ctx, buffer, out);
    }

    /**
     * Netty asks this once the head is read, before it settles the body's framing (and before it
     * drops Content-Length from a chunked request): the one moment every framing header is there.
     */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
      String problem = problem(message);
      if (problem != null) {
        refused = true;
        message.setDecoderResult(DecoderResult.failure(new AmbiguousFraming(problem)));
      }
      return super.isContentAlwaysEmpty(message);
    }
  }
}
