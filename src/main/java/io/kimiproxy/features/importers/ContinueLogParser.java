package io.kimiproxy.features.importers;

import static io.kimiproxy.core.util.TextScan.isAsciiLetter;
import static io.kimiproxy.core.util.TextScan.isSpace;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the lines of Continue's log into {@link ContinueEntry}s, one line at a time. The line shapes
 * read (samples in tests-data/importers/continue/):
 * <ul>
 *   <li>An optional {@code [2025-11-21T10:15:02] } prefix, as Continue's core process writes it
 *       before every console line (UTC): it dates the entry.</li>
 *   <li>An optional LLM-log prefix: one lane character ({@code ' '}, {@code |}, {@code &}, {@code %},
 *       {@code #}, {@code X}) and a ten-character time column ({@code 10:15:02.3}, {@code +1.4} or
 *       blanks). The lane keeps overlapping calls apart; lines whose text starts with {@code "| "} or
 *       {@code ". "} are message text and are never read.</li>
 *   <li>Then, after any {@code [info]}-style tags, a whole line of one key and a number:
 *       {@code Prompt Tokens: 1234} (also {@code Prompt tokens}, {@code PromptTokens},
 *       {@code prompt_tokens}, {@code "promptTokens": 1234,}); {@code Completion Tokens: 56} or
 *       {@code Generated Tokens: 56} (same variants); {@code contextLength: 8192} or
 *       {@code "contextLength": 8192,} (the options Continue logs when a call starts).</li>
 * </ul>
 * A prompt count opens an entry in its lane and the next completion count closes it; a completion
 * without a prompt is an entry with 0 prompt tokens; a second prompt before a completion closes the
 * first with 0 completion tokens. The latest context length of a lane goes with its next entries.
 * Any other line is ignored. Not thread-safe: one parser per followed file.
 *
 * <p>The log is another program's file, so its lines can hold anything (up to {@code LogTail}'s
 * 64 KiB): each expression below is anchored and unambiguous (no two quantifiers can share a run
 * of characters), so java.util.regex matches a line in linear time, and none repeats a group.
 */
public final class ContinueLogParser {
  private static final Pattern DATED = Pattern.compile("^\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(?:\\.\\d+)?Z?] ?(.*)$");
  private static final Pattern LLM_LOG = Pattern.compile("^([ |&%#X])(\\d\\d:\\d\\d:\\d\\d\\.\\d| {0,8}\\+\\d+\\.\\d| {10}) (.*)$");
  private static final Pattern KEY_VALUE = Pattern.compile(
      "^\"?(prompt[ _]?tokens|completion[ _]?tokens|generated[ _]?tokens|context[ _]?length)\"?\\s*[:=]\\s*(\\d{1,12})\\s*(?:,\\s*)?$",
      Pattern.CASE_INSENSITIVE);

  /** What one lane (one overlapping call of the LLM log, or the plain log) has seen so far. */
  private static final class Lane {
    Long promptTokens;
    Long promptAt;
    long contextLength;
  }

  private final Map<Character, Lane> lanes = new HashMap<>();

  /** The entry this line completes, or null. */
  public ContinueEntry feed(String line) {
    Long dated = null;
    String text = line;
    Matcher d = DATED.matcher(text);
    if (d.matches()) {
      dated = epochMs(d.group(1));
      text = d.group(2);
    }
    char lane = ' ';
    Matcher l = LLM_LOG.matcher(text);
    if (l.matches()) {
      lane = l.group(1).charAt(0);
      text = l.group(3);
      if (text.startsWith("| ") || text.startsWith(". ")) return null;
    }
    Matcher kv = KEY_VALUE.matcher(text.substring(afterTags(text)));
    if (!kv.matches()) return null;
    String key = kv.group(1).toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "");
    long value = Long.parseLong(kv.group(2));
    Lane state = lanes.computeIfAbsent(lane, c -> new Lane());
    switch (key) {
      case "contextlength" -> state.contextLength = value;
      case "prompttokens" -> {
        ContinueEntry open = state.promptTokens == null ? null : close(state, 0, state.promptAt);
        state.promptTokens = value;
        state.promptAt = dated;
        return open;
      }
      default -> {
        return close(state, value, dated != null ? dated : state.promptAt);
      }
    }
    return null;
  }

  /**
   * Where the text starts after blanks and {@code [info]}-style tags. A loop, not an expression:
   * java.util.regex recurses once per repetition of a group, and a line of thousands of tags would
   * overflow the stack.
   */
  private static int afterTags(String text) {
    int i = skipBlanks(text, 0);
    while (i < text.length() && text.charAt(i) == '[') {
      int j = i + 1;
      while (j < text.length() && isAsciiLetter(text.charAt(j))) j++;
      if (j == i + 1 || j >= text.length() || text.charAt(j) != ']') break;
      i = skipBlanks(text, j + 1);
    }
    return i;
  }

  private static int skipBlanks(String text, int i) {
    while (i < text.length() && isSpace(text.charAt(i))) i++;
    return i;
  }

  /** Forgets every open entry: the file was replaced or cut. */
  public void reset() {
    lanes.clear();
  }

  private static ContinueEntry close(Lane state, long completion, Long at) {
    long prompt = state.promptTokens == null ? 0 : state.promptTokens;
    state.promptTokens = null;
    state.promptAt = null;
    return new ContinueEntry(at, prompt, completion, state.contextLength);
  }

  private static Long epochMs(String isoLocal) {
    try {
      return LocalDateTime.parse(isoLocal).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
