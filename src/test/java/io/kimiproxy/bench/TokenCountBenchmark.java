package io.kimiproxy.bench;

import io.kimiproxy.testing.Requests;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.tokens.TokenCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Counting a ~200k-token IDE conversation with {@link TokenCounter}: cold (every message new to the
 * cache), then again after each of several new messages, as an assistant resends its whole history
 * every turn. Each count gets freshly parsed JSON, as each request does in the proxy, so the warm
 * figure includes hashing every message to find it in the cache. Part of {@code make bench};
 * {@code main} runs it alone.
 */
public final class TokenCountBenchmark {
  /** A Kimi model: o200k_base, the larger (slower to load) of the two encodings. */
  static final String MODEL = "kimi-k2-0905-preview";
  static final int TARGET_TOKENS = 200_000;
  static final int WARM_ROUNDS = 21;
  private static final int JIT_COLD_ROUNDS = 3;
  private static final int JIT_WARM_ROUNDS = 15;
  private static final int CACHE_ENTRIES = 50_000;

  /**
   * @param loadMs   the first use of the encoding in the process (jtokkit reads its vocabulary lazily)
   * @param coldMs   the whole conversation, nothing cached
   * @param warmMs   each following turn, one new message each, in order
   */
  record Result(int messages, int tokens, int characters, double loadMs, double coldMs, double[] warmMs) {
    double warmFirstMs() {
      return warmMs[0];
    }

    double warmMedianMs() {
      double[] sorted = warmMs.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }

    double warmMaxMs() {
      return Arrays.stream(warmMs).max().orElse(Double.NaN);
    }
  }

  private TokenCountBenchmark() {}

  public static void main(String[] args) {
    Result r = run(Corpus.load(Path.of("src/main/java")));
    System.out.printf("conversation: %d messages, %d tokens, %d characters%n", r.messages(), r.tokens(), r.characters());
    System.out.printf("encoding load %.1f ms, cold %.1f ms, warm first %.3f ms, median %.3f ms, max %.3f ms%n",
        r.loadMs(), r.coldMs(), r.warmFirstMs(), r.warmMedianMs(), r.warmMaxMs());
  }

  static Result run(Corpus corpus) {
    // The vocabularies are loaded once per process: this must be the first use of o200k_base in the JVM.
    long start = System.nanoTime();
    new TokenCounter(1L << 24).countText(MODEL, "load");
    double loadMs = ms(start);

    JsonArray tools = tools();
    String history = conversation(corpus, tools).encode();
    warmUp(corpus, history, tools);

    TokenCounter counter = new TokenCounter(1L << 24);
    JsonArray messages = new JsonArray(history);
    start = System.nanoTime();
    PromptCount cold = counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(tools));
    double coldMs = ms(start);

    double[] warm = turns(counter, corpus, history, tools, WARM_ROUNDS);
    return new Result(messages.size(), cold.total(), history.length(), loadMs, coldMs, warm);
  }

  /**
   * A proxy in use runs these paths compiled; a fresh JVM interprets them, and hashing this much
   * JSON takes it ten times longer until the JIT has seen a few counts of this size. So: a few
   * cold and warm counts on a counter of their own, with other new messages, before measuring.
   */
  private static void warmUp(Corpus corpus, String history, JsonArray tools) {
    for (int i = 0; i < JIT_COLD_ROUNDS; i++) {
      TokenCounter counter = new TokenCounter(1L << 24);
      counter.countPrompt(MODEL, Requests.messages(new JsonArray(history)), Requests.tools(tools));
      turns(counter, corpus, history, tools, JIT_WARM_ROUNDS);
    }
  }

  /** Counts the history again after each of {@code rounds} new user messages; the time of each count. */
  private static double[] turns(TokenCounter counter, Corpus corpus, String history, JsonArray tools, int rounds) {
    double[] times = new double[rounds];
    JsonArray added = new JsonArray();
    for (int round = 0; round < rounds; round++) {
      added.add(message("user", "Follow-up " + round + ": what about this part?\n"
          + corpus.slice(round * 1231, 1000)));
      JsonArray next = new JsonArray(history);
      added.forEach(next::add);
      long start = System.nanoTime();
      counter.countPrompt(MODEL, Requests.messages(next), Requests.tools(tools));
      times[round] = ms(start);
    }
    return times;
  }

  /** Read-a-file turns over the corpus, each message made unique by its turn number, up to the target size. */
  private static JsonArray conversation(Corpus corpus, JsonArray tools) {
    TokenCounter sizer = new TokenCounter(1L << 24);
    JsonArray messages = new JsonArray()
        .add(message("system", "You are a coding assistant working in the user's repository.\n" + corpus.slice(0, 4000)));
    for (int turn = 0; sizer.countPrompt(MODEL, Requests.messages(messages), Requests.tools(tools)).total() < TARGET_TOKENS; turn++) {
      Corpus.SourceFile file = corpus.files().get(turn % corpus.files().size());
      String call = "call_" + turn;
      messages.add(message("user", "Turn " + turn + ": read " + file.path() + " and tell me what it does."));
      messages.add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
          .add(new JsonObject().put("id", call).put("type", "function").put("function", new JsonObject()
              .put("name", "read_file").put("arguments", new JsonObject().put("path", file.path()).encode())))));
      messages.add(new JsonObject().put("role", "tool").put("tool_call_id", call)
          .put("content", "// turn " + turn + "\n" + file.text()));
      messages.add(message("assistant", "Turn " + turn + " notes:\n" + corpus.slice(turn * 997, 600)));
    }
    return messages;
  }

  private static JsonArray tools() {
    JsonArray tools = new JsonArray();
    for (String name : new String[] {"read_file", "write_file", "run_command"}) {
      tools.add(new JsonObject().put("type", "function").put("function", new JsonObject()
          .put("name", name)
          .put("description", "Tool " + name + " of the IDE assistant.")
          .put("parameters", new JsonObject().put("type", "object").put("properties",
              new JsonObject().put("path", new JsonObject().put("type", "string"))))));
    }
    return tools;
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
