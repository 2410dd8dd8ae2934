package io.kimiproxy.core.tokens;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The estimate against what providers billed, on every recorded exchange with a request body and
 * reported usage. Writes the table that docs/context.md quotes to target/token-accuracy.md.
 */
class TokenAccuracyTest {
  /** Families whose real tokenizer is the jtokkit vocabulary used: the estimate must be close. */
  private static final Set<ModelFamily> EXACT_VOCABULARY = EnumSet.of(ModelFamily.OPENAI_O200K,
      ModelFamily.OPENAI_CL100K, ModelFamily.GPT_OSS, ModelFamily.KIMI);

  @Test
  void should_estimate_prompt_tokens_close_to_reported_usage() throws IOException {
    TokenCounter counter = new TokenCounter(1L << 24);
    List<FixtureUsage> fixtures = FixtureUsage.all();
    assertTrue(fixtures.size() >= 25, "fixtures with request and usage: " + fixtures.size());
    StringBuilder table = new StringBuilder("| fixture | model | family | reported | estimate | error |\n|---|---|---|---:|---:|---:|\n");
    double absoluteErrorSum = 0;
    int larger = 0;
    for (FixtureUsage f : fixtures) {
      long estimate = counter.countPrompt(f.model(), Requests.messages(f.messages()), Requests.tools(f.tools())).total();
      double error = (double) (estimate - f.reported()) / f.reported();
      ModelFamily family = ModelFamily.of(f.model());
      table.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %+.1f %% |%n",
          f.name(), f.model(), family, f.reported(), estimate, 100 * error));
      if (EXACT_VOCABULARY.contains(family)) {
        assertTrue(Math.abs(error) <= 0.10, f.name() + ": estimate " + estimate + " vs reported " + f.reported());
      }
      if (f.reported() >= 40) {
        absoluteErrorSum += Math.abs(error);
        larger++;
      }
    }
    double meanError = absoluteErrorSum / larger;
    table.append(String.format(Locale.ROOT, "%nMean absolute error over the %d prompts of 40 tokens or more: %.1f %%.%n",
        larger, 100 * meanError));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "token-accuracy.md"), table);
    assertTrue(meanError <= 0.20, "mean absolute error " + meanError);
  }

  @Test
  void should_recognise_model_families_from_aliases_and_upstream_ids() {
    assertEquals(ModelFamily.KIMI, ModelFamily.of("kimi/k2"));
    assertEquals(ModelFamily.KIMI, ModelFamily.of("nvidia/kimi-k2 moonshotai/kimi-k2-instruct-0905"));
    assertEquals(ModelFamily.OPENAI_O200K, ModelFamily.of("openrouter/gpt-4o-mini"));
    assertEquals(ModelFamily.OPENAI_CL100K, ModelFamily.of("gpt-3.5-turbo"));
    assertEquals(ModelFamily.GPT_OSS, ModelFamily.of("groq/gpt-oss-120b openai/gpt-oss-120b"));
    assertEquals(ModelFamily.LLAMA_3_1, ModelFamily.of("groq/llama-3.3-70b llama-3.3-70b-versatile"));
    assertEquals(ModelFamily.OTHER, ModelFamily.of("llama3-8b-8192"));
    assertEquals(ModelFamily.CLAUDE, ModelFamily.of("openrouter/claude-sonnet-4.5"));
    assertEquals(ModelFamily.GEMINI, ModelFamily.of("google/gemini-2.5-flash"));
    assertEquals(ModelFamily.OTHER, ModelFamily.of("mistral/large mistral-large-latest"));
  }
}
