package io.kimiproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.model.ClientKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientKindTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "Cline/3.17.0|-|-|cline",
      "OpenAI/JS 4.87.3|Cline|https://cline.bot|cline",
      "Continue/1.2.0|-|-|continue",
      "OpenAI/JS 4.96.0|-|-|openai-sdk",
      "OpenAI/Python 1.82.0|-|-|openai-sdk",
      "AsyncOpenAI/Python 1.82.0|-|-|openai-sdk",
      "curl/8.5.0|-|-|other",
      "-|-|-|other"})
  void should_tell_the_client_from_its_headers(String userAgent, String title, String referer, String expected) {
    assertEquals(expected, ClientKind.detect(userAgent, title, referer).label());
  }
}
