package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The agents API as a client drives it: start a run, poll it to its end, read it. */
final class AgentApi {
  private final TestProxy proxy;
  private final String clientKey;

  AgentApi(TestProxy proxy, String clientKey) {
    this.proxy = proxy;
    this.clientKey = clientKey;
  }

  HttpResponse<String> get(String path) {
    return proxy.send(authorized(proxy.request(path)).GET().build());
  }

  HttpResponse<String> post(String path, String body) {
    return proxy.send(authorized(proxy.request(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Starts a run and returns its id, checking the 202. */
  String start(String agent, JsonObject body, String expectedStatus) {
    HttpResponse<String> response = post("/api/agents/" + agent + "/run", body.encode());
    assertEquals(202, response.statusCode(), response.body());
    JsonObject accepted = new JsonObject(response.body());
    assertEquals(expectedStatus, accepted.getString("status"), response.body());
    return accepted.getString("run_id");
  }

  /** Polls the status endpoint until the run reaches {@code status}, failing with the last answer after the deadline. */
  JsonObject awaitStatus(String agent, String runId, String status, Duration deadline) {
    Poll.until(deadline, () -> get("/api/agents/" + agent + "/status?run_id=" + runId).body(),
        body -> status.equals(new JsonObject(body).getString("status")), "run " + runId + " to be " + status);
    return run(agent, runId);
  }

  JsonObject run(String agent, String runId) {
    HttpResponse<String> response = get("/api/agents/" + agent + "/runs/" + runId);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return clientKey == null ? request : request.header("Authorization", "Bearer " + clientKey);
  }
}
