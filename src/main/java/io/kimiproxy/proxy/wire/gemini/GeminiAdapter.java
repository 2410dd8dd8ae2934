package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.ProbeCall;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.kimiproxy.proxy.wire.WireCalls;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Google's native Gemini API ({@code generateContent} and {@code streamGenerateContent?alt=sse}
 * under the base URL, e.g. https://generativelanguage.googleapis.com/v1beta). The key travels in
 * the {@code x-goog-api-key} header only: Google also accepts {@code ?key=}, but a URL ends up in
 * logs and error messages.
 */
public final class GeminiAdapter implements WireAdapter {
  /**
   * The model becomes part of the URL path, and clients can name any model ("gemini/<model>"), so
   * only plain model names pass: no "..", no "?", no extra path segments (a segment starts with a letter or digit).
   */
  private static final Pattern MODEL = Pattern.compile("((models|tunedModels)/)?[A-Za-z0-9][A-Za-z0-9._-]*");
  /**
   * Gemini models after 2.x (gemini-3-*, and the -latest aliases that point at them) reject a
   * replayed function call without its thought signature; 1.x, 2.x, Gemma and tuned models do not check.
   */
  private static final Pattern CHECKS_SIGNATURES = Pattern.compile("(models/)?gemini-(?![12][.-]).*");

  @Override
  public UpstreamCall toUpstream(ChatRequest request, Route route) {
    String model = route.upstreamModel();
    if (!MODEL.matcher(model).matches()) {
      throw ProxyError.invalidRequest("'" + model + "' is not a Gemini model name.", "model");
    }
    String resource = model.contains("/") ? model : "models/" + model;
    String endpoint = "/" + resource + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
    JsonObject body = GeminiRequestMapper.toGenerateContent(request, CHECKS_SIGNATURES.matcher(model).matches());
    return WireCalls.post(route.provider(), endpoint, body, request.stream(), GeminiAdapter::authenticate);
  }

  @Override
  public ProbeCall modelsList(ProviderConfig provider) {
    return WireCalls.modelsList(provider, GeminiAdapter::authenticate);
  }

  private static void authenticate(ProviderConfig provider, MultiMap headers) {
    if (provider.apiKey() != null) headers.add("x-goog-api-key", provider.apiKey().reveal());
    provider.headers().forEach(headers::add);
  }


  @Override
  public NonStreamReply fromUpstream(Buffer body, Route route) {
    JsonObject response;
    try {
      response = body.toJsonObject();
    } catch (RuntimeException e) {
      throw ProxyError.badUpstreamResponse(route.provider().name(), "the answer is not a JSON object");
    }
    JsonObject completion = GeminiResponseMapper.toCompletion(response, route.upstreamModel());
    return new NonStreamReply(completion.toBuffer(), completion.getJsonObject("usage"), completion);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request, Route route) {
    return new GeminiStreamDecoder(route.provider().name(), route.upstreamModel());
  }

  @Override
  public ProxyError toError(int status, Buffer body, String retryAfter, Route route) {
    return GeminiErrors.toError(status, body, retryAfter);
  }
}
