package io.kimiproxy.api.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.okWithUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 4: a {@code <provider>/<model>} call has no alias and so no price. Under a blocking
 * USD budget it would count $0, so a spent budget could be spent again: it is charged at the
 * provider's {@code fallback_input_price} / {@code fallback_output_price}, or refused with a 403
 * that says how to price it. Budgets in tokens, and warn-only ones, still let it through.
 */
class UnpricedQuotaTest {
  private static final String METERED = "/metered/v1/chat/completions";
  private static final String PROVIDERS = """
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"

      [providers.metered]
      base_url = "{{UPSTREAM}}/metered/v1"
      api_key = "${TEST_KEY}"
      fallback_input_price = 1000.0
      fallback_output_price = 2000.0

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      input_price = 2.0
      output_price = 4.0
      """;

  private static HttpResponse<String> chat(TestProxy proxy, String model) {
    return proxy.chat(model, false, TestProxy.newSession());
  }

  @Test
  void should_refuse_an_unpriced_call_under_a_blocking_usd_budget() {
    try (TestProxy proxy = TestProxy.start(PROVIDERS + "\n[quotas.global]\ndaily_usd = 1.0\n")) {
      proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okWithUsage(600, 100)));
      JsonObject error = assertError(chat(proxy, "test/some-free-looking-model"), 403, "permission_error");
      assertEquals("unpriced_model", error.getString("code"));
      assertTrue(error.getString("message").contains("providers.test.fallback_input_price")
          && error.getString("message").contains("global daily usd"), error.getString("message"));
      assertEquals(0, calls(proxy.upstream(), "/v1/chat/completions"), "the refused call reached the provider");
      assertEquals(200, chat(proxy, "test/model").statusCode(), "a priced alias still goes");
    }
  }

  @Test
  void should_charge_an_unpriced_call_at_the_providers_fallback_price_until_the_budget_is_spent() {
    try (TestProxy proxy = TestProxy.start(PROVIDERS + "\n[quotas.\"provider:metered\"]\ndaily_usd = 1.0\n")) {
      proxy.upstream().stubFor(post(urlEqualTo(METERED)).willReturn(okWithUsage(600, 100)));
      String session = TestProxy.newSession();
      HttpResponse<String> first = proxy.chat("metered/any-model", false, session);
      assertEquals(200, first.statusCode(), first.body());
      // (600 × 1000 + 100 × 2000) / 1,000,000 = $0.80
      assertEquals(0.8, Ledger.rows(proxy, session).get(0).getDouble("cost_usd"), 1e-9);
      assertEquals(200, chat(proxy, "metered/another-model").statusCode(), "$0.80 of $1.00 spent: room left");
      Poll.until(Duration.ofSeconds(5), () -> new JsonObject(proxy.get("/api/quotas").body()).getJsonArray("data")
          .getJsonObject(0).getDouble("used"), used -> used >= 1.6 - 1e-9, "$1.60 counted");

      JsonObject error = assertError(chat(proxy, "metered/any-model"), 429, "insufficient_quota");
      assertEquals("insufficient_quota", error.getString("code"));
      assertEquals(2, calls(proxy.upstream(), METERED));
    }
  }

  @Test
  void should_let_an_unpriced_call_through_token_budgets_and_warnings() {
    for (String quota : List.of("[quotas.global]\ndaily_tokens = 100000\n",
        "[quotas.global]\ndaily_usd = 1.0\naction = \"warn\"\n")) {
      try (TestProxy proxy = TestProxy.start(PROVIDERS + "\n" + quota)) {
        proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okWithUsage(600, 100)));
        HttpResponse<String> response = chat(proxy, "test/some-model");
        assertEquals(200, response.statusCode(), quota + response.body());
      }
    }
  }
}
