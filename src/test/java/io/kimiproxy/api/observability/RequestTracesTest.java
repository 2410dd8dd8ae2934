package io.kimiproxy.api.observability;

import io.kimiproxy.testing.TestVertx;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.okWithUsage;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * With {@code [telemetry]} on, each request becomes a trace sent over OTLP/HTTP: a SERVER span for
 * the request and a CLIENT child per attempt, with the GenAI semantic conventions' attributes. A
 * small OTLP receiver (a Vert.x server decoding the protobuf) plays the collector.
 */
class RequestTracesTest {
  private final List<Span> spans = new CopyOnWriteArrayList<>();
  private final Map<String, String> resource = new ConcurrentHashMap<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  private HttpServer receiver(Vertx vertx) {
    // The JDK client the exporter uses offers an h2c upgrade; a plain HTTP/1.1 collector is what is tested.
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(request -> request.body().onSuccess(body -> {
      try {
        tokens.add(String.valueOf(request.getHeader("X-Collector-Token")));
        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.getBytes());
        for (ResourceSpans rs : export.getResourceSpansList()) {
          rs.getResource().getAttributesList().forEach(a -> resource.put(a.getKey(), a.getValue().getStringValue()));
          for (ScopeSpans ss : rs.getScopeSpansList()) spans.addAll(ss.getSpansList());
        }
        request.response().putHeader("Content-Type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (Exception e) {
        request.response().setStatusCode(400).end(e.getMessage());
      }
    }));
    return TestProxy.await(server.listen(0, "127.0.0.1"));
  }

  private static AnyValue attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("no attribute " + key + " on " + span.getName()));
  }

  @Test
  void should_export_a_span_per_request_with_a_child_per_attempt_and_genai_attributes() {
    Vertx vertx = TestVertx.create();
    try {
      HttpServer collector = receiver(vertx);
      String config = TestProxy.ONE_PROVIDER.replace("timeout_s = 10", "timeout_s = 10\nmax_retries = 1\nretry_base_ms = 10")
          + """

          [telemetry]
          enabled = true
          endpoint = "http://127.0.0.1:%d/v1/traces"
          service_name = "proxy-under-test"
          headers = { "X-Collector-Token" = "collector-token-1" }
          """.formatted(collector.actualPort());
      String id;
      String session = TestProxy.newSession();
      try (TestProxy proxy = TestProxy.start(config)) {
        sequence(proxy.upstream(), "/v1/chat/completions", json(500, "openai/error-500-server-error.json"),
            okWithUsage(620, 12));
        HttpResponse<String> response = proxy.chat("test/model", false, session);
        assertEquals(200, response.statusCode(), response.body());
        id = response.headers().firstValue("X-Request-Id").orElseThrow();
        Poll.until(Duration.ofSeconds(30), spans::size, n -> n >= 3, "the request's spans at the collector");
      }

      assertEquals("proxy-under-test", resource.get("service.name"));
      assertTrue(tokens.stream().allMatch("collector-token-1"::equals), tokens.toString());
      Span request = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst()
          .orElseThrow(() -> new AssertionError("no request span in " + spans));
      assertEquals("chat test/model", request.getName());
      assertTrue(request.getParentSpanId().isEmpty(), "the request span is a root");
      assertEquals(id, attribute(request, "kimi.request.id").getStringValue());
      assertEquals("chat", attribute(request, "gen_ai.operation.name").getStringValue());
      assertEquals("test/model", attribute(request, "gen_ai.request.model").getStringValue());
      assertEquals("upstream-model", attribute(request, "gen_ai.response.model").getStringValue());
      assertEquals("test", attribute(request, "gen_ai.provider.name").getStringValue());
      assertEquals("test", attribute(request, "gen_ai.system").getStringValue());
      assertEquals(620, attribute(request, "gen_ai.usage.input_tokens").getIntValue());
      assertEquals(12, attribute(request, "gen_ai.usage.output_tokens").getIntValue());
      assertEquals(session, attribute(request, "gen_ai.conversation.id").getStringValue());
      assertEquals(200, attribute(request, "http.response.status_code").getIntValue());

      List<Span> attempts = new ArrayList<>(spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).toList());
      attempts.sort(Comparator.comparingLong(s -> attribute(s, "kimi.attempt").getIntValue()));
      assertEquals(2, attempts.size(), spans.toString());
      for (Span attempt : attempts) {
        assertEquals(request.getTraceId(), attempt.getTraceId());
        assertEquals(request.getSpanId(), attempt.getParentSpanId(), "an attempt is the request's child");
        assertTrue(attempt.getStartTimeUnixNano() >= request.getStartTimeUnixNano()
            && attempt.getEndTimeUnixNano() <= request.getEndTimeUnixNano(), "an attempt lies within its request");
        assertEquals("chat", attribute(attempt, "gen_ai.operation.name").getStringValue());
      }
      Span failed = attempts.get(0);
      assertEquals(500, attribute(failed, "http.response.status_code").getIntValue());
      assertEquals("server_error", attribute(failed, "error.type").getStringValue());
      assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.getStatus().getCode());
      Span answered = attempts.get(1);
      assertEquals(200, attribute(answered, "http.response.status_code").getIntValue());
      assertEquals(620, attribute(answered, "gen_ai.usage.input_tokens").getIntValue());
      assertTrue(answered.getStartTimeUnixNano() >= failed.getEndTimeUnixNano(), "the retry follows the failure");
    } finally {
      TestProxy.await(vertx.close());
    }
  }
}
