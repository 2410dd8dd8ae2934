package io.kimiproxy.features.guardrails;

import com.google.re2j.Pattern;
import io.kimiproxy.config.GuardRule;
import io.kimiproxy.config.ToolCallType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the patterns of a rule for its type. Three kinds, all case-insensitive:
 * <ul>
 *   <li>File types: gitignore-style globs over paths ({@code *} within a path segment, {@code **}
 *       across, {@code ?} one character). A glob without a slash matches any segment, so
 *       {@code *secret*} covers {@code config/secrets/db.yml} and {@code *.env} covers {@code .env};
 *       one with a slash matches the end of the path ({@code config/*.yml}) or, starting with
 *       {@code /}, the whole path.</li>
 *   <li>Command types: command words. The first word is the program ({@code mkfs} also covers
 *       {@code mkfs.ext4}), every further word must be among the arguments in any order: a short
 *       flag cluster by its letters ({@code -rf} covers {@code -fr}, {@code -r -f}, {@code -Rf}), a
 *       word ending in {@code /} or {@code =} as a prefix ({@code of=/dev/}), anything else whole,
 *       with {@code *} as a wildcard. {@code a | b} matches a pipeline in which a runs before b.</li>
 *   <li>CODE_REVIEW and OTHER: globs over the tool's name (or an MCP call's {@code server/tool}).</li>
 * </ul>
 * {@code re:REGEX} is a regular expression searched in each target: a path, a simple command's
 * words, or for CODE_REVIEW and OTHER the names and the raw arguments.
 *
 * <p>What a pattern is matched against comes from a model's tool call, of any length and shape,
 * so matching is linear in it: globs are small automata ({@link Glob}; case-insensitive for ASCII
 * letters in names, programs and command words, for any script in paths), {@code re:} expressions
 * are RE2/J.
 */
final class RulePatterns {
  private RulePatterns() {}

  /** A compiled pattern: the indexes of the call's targets it matches (empty when it does not). */
  interface CallPattern {
    String source();

    Set<Integer> matches(ClassifiedCall call);
  }

  static CallPattern compile(ToolCallType type, String source) {
    if (source.startsWith("re:")) {
      return new Regex(source, GuardRule.regex(source.substring(3)));
    }
    if (type.writesFiles()) return PathGlob.of(source);
    if (type.runsCommands()) return CommandWords.of(source);
    return new NameGlob(source, Glob.of(source, false, Glob.Span.LINE, false));
  }

  /** Forward slashes, one at a time, without leading {@code ./}. */
  static String normalizePath(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i) == '\\' ? '/' : path.charAt(i);
      if (c != '/' || out.length() == 0 || out.charAt(out.length() - 1) != '/') out.append(c);
    }
    String p = out.toString();
    int start = 0;
    while (p.startsWith("./", start)) start += 2;
    return p.substring(start);
  }

  /** A short flag cluster: {@code -rf}. */
  private static boolean isFlagCluster(String word) {
    if (word.length() < 2 || word.charAt(0) != '-') return false;
    for (int i = 1; i < word.length(); i++) {
      char c = word.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    return true;
  }

  private record Regex(String source, Pattern regex) implements CallPattern {
    @Override
    public Set<Integer> matches(ClassifiedCall call) {
      Set<Integer> hits = new LinkedHashSet<>();
      if (call.type().writesFiles()) {
        for (int i = 0; i < call.paths().size(); i++) {
          if (regex.matcher(normalizePath(call.paths().get(i))).find()) hits.add(i);
        }
      } else if (call.type().runsCommands()) {
        for (int i = 0; i < call.commands().size(); i++) {
          if (regex.matcher(call.commands().get(i).text()).find()) hits.add(i);
        }
      } else if (call.names().stream().anyMatch(n -> regex.matcher(n).find()) || regex.matcher(call.arguments()).find()) {
        hits.add(0);
      }
      return hits;
    }
  }

  private record PathGlob(String source, Glob glob, boolean anySegment) implements CallPattern {
    static PathGlob of(String source) {
      String p = normalizePath(source);
      if (p.endsWith("/") && p.length() > 1) p = p.substring(0, p.length() - 1);
      boolean anySegment = p.indexOf('/') < 0;
      Glob body = Glob.of(p, true, Glob.Span.LINE, true);
      return new PathGlob(source, anySegment || p.startsWith("/") ? body : body.afterAnyDirectory(Glob.Span.LINE), anySegment);
    }

    @Override
    public Set<Integer> matches(ClassifiedCall call) {
      Set<Integer> hits = new LinkedHashSet<>();
      for (int i = 0; i < call.paths().size(); i++) {
        String path = normalizePath(call.paths().get(i));
        boolean hit = anySegment
            ? List.of(path.split("/")).stream().anyMatch(glob::matches)
            : glob.matches(path);
        if (hit) hits.add(i);
      }
      return hits;
    }
  }

  private record NameGlob(String source, Glob glob) implements CallPattern {
    @Override
    public Set<Integer> matches(ClassifiedCall call) {
      return call.names().stream().anyMatch(glob::matches) ? Set.of(0) : Set.of();
    }
  }

  /** One word of a command pattern after the program, and how it is found among arguments. */
  private record Word(String flags, Glob pattern) {
    static Word of(String word) {
      if (isFlagCluster(word)) return new Word(word.substring(1).toLowerCase(Locale.ROOT), null);
      boolean prefix = word.length() > 1 && (word.endsWith("/") || word.endsWith("="));
      Glob glob = Glob.of(word, false, Glob.Span.ALL, false);
      return new Word(null, prefix ? glob.thenAnything(Glob.Span.ALL) : glob);
    }

    boolean foundIn(List<String> args) {
      if (pattern != null) return args.stream().anyMatch(pattern::matches);
      StringBuilder given = new StringBuilder();
      for (String a : args) {
        if (isFlagCluster(a)) given.append(a.substring(1).toLowerCase(Locale.ROOT));
      }
      return flags.chars().allMatch(f -> given.indexOf(String.valueOf((char) f)) >= 0);
    }
  }

  private record Step(Glob program, List<Word> words) {
    boolean matches(ShellLine.Command command) {
      return program.matches(command.program()) && words.stream().allMatch(w -> w.foundIn(command.args()));
    }
  }

  private record CommandWords(String source, List<Step> steps) implements CallPattern {
    static CommandWords of(String source) {
      List<Step> steps = new ArrayList<>();
      for (ShellLine.Command c : ShellLine.parse(source)) {
        Glob program = Glob.of(c.program(), false, Glob.Span.LINE, false).thenOptionalExtension(Glob.Span.LINE);
        steps.add(new Step(program, c.args().stream().map(Word::of).toList()));
      }
      return new CommandWords(source, steps);
    }

    @Override
    public Set<Integer> matches(ClassifiedCall call) {
      Set<Integer> hits = new LinkedHashSet<>();
      if (steps.size() == 1) {
        for (int i = 0; i < call.commands().size(); i++) {
          if (steps.get(0).matches(call.commands().get(i))) hits.add(i);
        }
        return hits;
      }
      Map<Integer, List<Integer>> pipelines = new LinkedHashMap<>();
      for (int i = 0; i < call.commands().size(); i++) {
        pipelines.computeIfAbsent(call.commands().get(i).pipeline(), k -> new ArrayList<>()).add(i);
      }
      for (List<Integer> pipeline : pipelines.values()) {
        List<Integer> chosen = new ArrayList<>();
        for (int index : pipeline) {
          if (chosen.size() < steps.size() && steps.get(chosen.size()).matches(call.commands().get(index))) chosen.add(index);
        }
        if (chosen.size() == steps.size()) hits.addAll(chosen);
      }
      return hits;
    }
  }
}
