package io.kimiproxy.features.guardrails;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A command line cut into the simple commands it would run, read the way a POSIX shell reads it
 * (and near enough for cmd and PowerShell): quotes and escapes; {@code ; && || & |} and newlines;
 * subshells, {@code $(...)} and backticks, also inside double quotes; redirections (their targets
 * are not arguments); leading {@code VAR=value}; wrappers that run the command after them
 * ({@code sudo}, {@code env}, {@code xargs}, {@code timeout}, {@code npx}, {@code poetry run}...);
 * and scripts handed to another shell ({@code bash -c "..."}, {@code cmd /c}, {@code powershell
 * -Command}, {@code eval}), which are read in turn. A model's command is judged on what it runs,
 * not on how it is spelled: {@code sudo rm -fr /} and {@code bash -lc 'rm -rf /'} are both rm.
 */
final class ShellLine {
  /**
   * Longer lines are judged on their beginning: the reading runs on the event loop. The line is a
   * model's, so its words are matched with RE2/J (linear time).
   */
  static final int MAX_LENGTH = 256 * 1024;
  private static final int MAX_DEPTH = 3;
  private static final String ESCAPABLE = " \t\"'\\$`;|&()<>*?#{}[]!~";
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
  private static final Pattern DURATION = Pattern.compile("\\d+(\\.\\d+)?[smhd]?");
  private static final Pattern SHELL_SCRIPT_FLAG = Pattern.compile("-[a-z]*c[a-z]*");
  private static final Set<String> KEYWORDS = Set.of("{", "}", "!", "if", "then", "else", "elif", "fi", "do",
      "done", "while", "until", "time", "case", "esac");
  private static final Set<String> WRAPPERS = Set.of("sudo", "doas", "env", "nohup", "nice", "ionice", "timeout",
      "xargs", "command", "builtin", "exec", "stdbuf", "npx", "pnpx", "bunx");
  private static final Set<String> TWO_WORD_WRAPPERS = Set.of("uv run", "poetry run", "pipenv run", "pdm run",
      "hatch run", "rye run", "bundle exec", "npm exec", "pnpm exec", "pnpm dlx", "yarn dlx");
  private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-u", "-g", "-p", "-C", "-D", "-r", "-t", "-U", "-n",
      "-I", "-P", "-L", "-d", "-a", "-E", "-k", "-c", "--user", "--group", "--package");
  private static final Set<String> SHELLS = Set.of("sh", "bash", "zsh", "dash", "ksh", "ash", "fish");
  private static final Map<String, String> ALIASES = Map.of("invoke-webrequest", "iwr", "invoke-restmethod", "irm",
      "invoke-expression", "iex");

  /**
   * One simple command.
   *
   * @param program  its base name in lower case, without .exe/.cmd/.bat/.com, PowerShell's long
   *                 names shortened to their aliases
   * @param pipeline commands joined by {@code |} share this number
   */
  record Command(String program, List<String> args, int pipeline) {
    String text() {
      return args.isEmpty() ? program : program + " " + String.join(" ", args);
    }
  }

  private final List<Command> commands = new ArrayList<>();
  private int pipelines;

  private ShellLine() {}

  static List<Command> parse(String line) {
    ShellLine parsed = new ShellLine();
    new Reader(parsed, 0).read(line);
    return parsed.commands;
  }

  /** The name a program is known by: base name, lower case, no Windows executable suffix. */
  static String programName(String word) {
    String name = word.substring(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
    for (String suffix : new String[] {".exe", ".cmd", ".bat", ".com"}) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) name = name.substring(0, name.length() - suffix.length());
    }
    return ALIASES.getOrDefault(name, name);
  }

  private int newPipeline() {
    return pipelines++;
  }

  private void add(List<String> words, int pipeline, int depth) {
    int i = 0;
    while (i < words.size()) {
      String word = words.get(i);
      String name = programName(word);
      if (KEYWORDS.contains(word) || ASSIGNMENT.matcher(word).matches()) {
        i++;
      } else if (WRAPPERS.contains(name)) {
        i = skipOptions(words, i + 1);
        if (name.equals("timeout") && i < words.size() && DURATION.matcher(words.get(i)).matches()) i++;
      } else if (i + 1 < words.size() && TWO_WORD_WRAPPERS.contains(name + " " + words.get(i + 1).toLowerCase(Locale.ROOT))) {
        i = skipOptions(words, i + 2);
      } else {
        break;
      }
    }
    if (i >= words.size()) return;
    Command command = new Command(programName(words.get(i)), List.copyOf(words.subList(i + 1, words.size())), pipeline);
    commands.add(command);
    String script = depth < MAX_DEPTH ? script(command) : null;
    if (script != null) new Reader(this, depth + 1).read(script);
  }

  private static int skipOptions(List<String> words, int i) {
    while (i < words.size()) {
      String w = words.get(i);
      if (w.equals("--")) return i + 1;
      if (w.length() > 1 && w.startsWith("-")) {
        i += OPTIONS_WITH_VALUE.contains(w) ? 2 : 1;
      } else if (ASSIGNMENT.matcher(w).matches()) {
        i++; // env NAME=value cmd
      } else {
        return i;
      }
    }
    return i;
  }

  /** The script a command hands to another shell, or null. */
  private static String script(Command c) {
    List<String> args = c.args();
    for (int k = 0; k < args.size(); k++) {
      String a = args.get(k).toLowerCase(Locale.ROOT);
      if (SHELLS.contains(c.program()) && SHELL_SCRIPT_FLAG.matcher(a).matches() && k + 1 < args.size()) {
        return args.get(k + 1);
      }
      boolean powershell = c.program().equals("pwsh") || c.program().equals("powershell");
      if ((powershell && (a.equals("-c") || a.equals("-command"))) || (c.program().equals("cmd") && (a.equals("/c") || a.equals("/k")))) {
        return String.join(" ", args.subList(k + 1, args.size()));
      }
    }
    return c.program().equals("eval") ? String.join(" ", args) : null;
  }

  /** Reads one line (or one script inside it) into words and commands. */
  private static final class Reader {
    private final ShellLine line;
    private final int depth;
    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;
    private boolean dropNextWord;
    private int pipeline;

    Reader(ShellLine line, int depth) {
      this.line = line;
      this.depth = depth;
    }

    void read(String s) {
      int n = Math.min(s.length(), MAX_LENGTH);
      pipeline = line.newPipeline();
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        char next = i + 1 < n ? s.charAt(i + 1) : '\0';
        switch (c) {
          case '\'' -> {
            int end = s.indexOf('\'', i + 1);
            end = end < 0 || end > n ? n : end;
            word.append(s, i + 1, end);
            inWord = true;
            i = end;
          }
          case '"' -> i = doubleQuoted(s, i + 1, n);
          case '\\' -> {
            if (next == '\n') {
              i++;
            } else if (next != '\0' && ESCAPABLE.indexOf(next) >= 0) {
              append(next);
              i++;
            } else {
              append(c); // a Windows path: C:\Users
            }
          }
          case ' ', '\t', '\r' -> endWord();
          case '\n', ';', '(', ')', '`' -> endCommand(false);
          case '&' -> {
            if (next == '>') {
              i = redirect(s, i + 1, n);
            } else {
              if (next == '&') i++;
              endCommand(false);
            }
          }
          case '|' -> {
            if (next == '|') {
              i++;
              endCommand(false);
            } else {
              if (next == '&') i++;
              endCommand(true);
            }
          }
          case '$' -> {
            if (next == '(') {
              i++;
              endCommand(false);
            } else {
              append(c);
            }
          }
          case '<', '>' -> {
            if (next == '(') {
              i++;
              endCommand(false);
            } else {
              i = redirect(s, i, n);
            }
          }
          case '#' -> {
            if (inWord) {
              append(c);
            } else {
              int end = s.indexOf('\n', i);
              i = (end < 0 || end > n ? n : end) - 1;
            }
          }
          default -> append(c);
        }
      }
      endCommand(false);
    }

    /** A double-quoted string from {@code i}; substitutions inside it are read as commands too. */
    private int doubleQuoted(String s, int i, int n) {
      inWord = true;
      for (int j = i; j < n; j++) {
        char c = s.charAt(j);
        if (c == '"') return j;
        if (c == '\\' && j + 1 < n && "\"\\$`\n".indexOf(s.charAt(j + 1)) >= 0) {
          if (s.charAt(j + 1) != '\n') word.append(s.charAt(j + 1));
          j++;
        } else if ((c == '$' && j + 1 < n && s.charAt(j + 1) == '(') || c == '`') {
          int end = substitutionEnd(s, j, n);
          int from = Math.min(j + (c == '`' ? 1 : 2), end);
          if (depth < MAX_DEPTH) new Reader(line, depth + 1).read(s.substring(from, end));
          word.append(s, j, Math.min(end + 1, n));
          j = end;
        } else {
          word.append(c);
        }
      }
      return n;
    }

    /** The index of the character closing the substitution at {@code start}, or {@code n} if none does. */
    private static int substitutionEnd(String s, int start, int n) {
      if (s.charAt(start) == '`') {
        int end = s.indexOf('`', start + 1);
        return end < 0 || end > n ? n : end;
      }
      int open = 0;
      for (int j = start + 1; j < n; j++) {
        if (s.charAt(j) == '(') open++;
        if (s.charAt(j) == ')' && --open == 0) return j;
      }
      return n;
    }

    /** A redirection at {@code i}: its operator and fd numbers are skipped, its target dropped. */
    private int redirect(String s, int i, int n) {
      if (inWord && word.chars().allMatch(Character::isDigit)) {
        word.setLength(0); // the 2 of 2>file
        inWord = false;
      } else {
        endWord();
      }
      int j = i;
      while (j < n && (s.charAt(j) == '<' || s.charAt(j) == '>' || (j > i && s.charAt(j) == '|'))) j++;
      if (j < n && s.charAt(j) == '&') {
        int k = j + 1;
        while (k < n && (Character.isDigit(s.charAt(k)) || s.charAt(k) == '-')) k++;
        if (k > j + 1) return k - 1; // 2>&1: a copy of a descriptor, no file
        j++;
      }
      if (j < n && s.charAt(j) == '-') j++; // <<-EOF
      dropNextWord = true;
      return j - 1;
    }

    private void append(char c) {
      word.append(c);
      inWord = true;
    }

    private void endWord() {
      if (!inWord) return;
      if (dropNextWord) {
        dropNextWord = false;
      } else {
        words.add(word.toString());
      }
      word.setLength(0);
      inWord = false;
    }

    private void endCommand(boolean piped) {
      endWord();
      dropNextWord = false;
      if (!words.isEmpty()) {
        line.add(words, pipeline, depth);
        words.clear();
      }
      if (!piped) pipeline = line.newPipeline();
    }
  }
}
