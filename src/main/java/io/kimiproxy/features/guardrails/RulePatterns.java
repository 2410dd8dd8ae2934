package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
      return new Regex(source, Pattern.compile(source.substring(3), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }
    if (type.writesFiles()) return PathGlob.of(source);
    if (type.runsCommands()) return CommandWords.of(source);
    return new NameGlob(source, Pattern.compile(glob(source, false), Pattern.CASE_INSENSITIVE));
  }

  /** A glob as a regular expression; with {@code inPath}, {@code *} and {@code ?} stop at a slash. */
  static String glob(String glob, boolean inPath) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        out.append(slash ? "(?:.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (c == '*') {
        out.append(inPath ? "[^/]*" : ".*");
      } else if (c == '?') {
        out.append(inPath ? "[^/]" : ".");
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return out.toString();
  }

  static String normalizePath(String path) {
    String p = path.replace('\\', '/').replaceAll("/{2,}", "/");
    while (p.startsWith("./")) p = p.substring(2);
    return p;
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

  private record PathGlob(String source, Pattern regex, boolean anySegment) implements CallPattern {
    static PathGlob of(String source) {
      String p = normalizePath(source);
      if (p.endsWith("/") && p.length() > 1) p = p.substring(0, p.length() - 1);
      boolean anySegment = p.indexOf('/') < 0;
      String body = glob(p, true);
      String regex = anySegment || p.startsWith("/") ? body : "(?:.*/)?" + body;
      return new PathGlob(source, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), anySegment);
    }

    @Override
    public Set<Integer> matches(ClassifiedCall call) {
      Set<Integer> hits = new LinkedHashSet<>();
      for (int i = 0; i < call.paths().size(); i++) {
        String path = normalizePath(call.paths().get(i));
        boolean hit = anySegment
            ? List.of(path.split("/")).stream().anyMatch(segment -> regex.matcher(segment).matches())
            : regex.matcher(path).matches();
        if (hit) hits.add(i);
      }
      return hits;
    }
  }

  private record NameGlob(String source, Pattern regex) implements CallPattern {
    @Override
    public Set<Integer> matches(ClassifiedCall call) {
      return call.names().stream().anyMatch(n -> regex.matcher(n).matches()) ? Set.of(0) : Set.of();
    }
  }

  /** One word of a command pattern after the program, and how it is found among arguments. */
  private record Word(String flags, Pattern pattern) {
    static Word of(String word) {
      if (word.matches("-[A-Za-z]+")) return new Word(word.substring(1).toLowerCase(Locale.ROOT), null);
      boolean prefix = word.length() > 1 && (word.endsWith("/") || word.endsWith("="));
      return new Word(null, Pattern.compile(glob(word, false) + (prefix ? ".*" : ""), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
    }

    boolean foundIn(List<String> args) {
      if (pattern != null) return args.stream().anyMatch(a -> pattern.matcher(a).matches());
      StringBuilder given = new StringBuilder();
      for (String a : args) {
        if (a.matches("-[A-Za-z]+")) given.append(a.substring(1).toLowerCase(Locale.ROOT));
      }
      return flags.chars().allMatch(f -> given.indexOf(String.valueOf((char) f)) >= 0);
    }
  }

  private record Step(Pattern program, List<Word> words) {
    boolean matches(ShellLine.Command command) {
      return program.matcher(command.program()).matches() && words.stream().allMatch(w -> w.foundIn(command.args()));
    }
  }

  private record CommandWords(String source, List<Step> steps) implements CallPattern {
    static CommandWords of(String source) {
      List<Step> steps = new ArrayList<>();
      for (ShellLine.Command c : ShellLine.parse(source)) {
        Pattern program = Pattern.compile(glob(c.program(), false) + "(?:\\..*)?", Pattern.CASE_INSENSITIVE);
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
