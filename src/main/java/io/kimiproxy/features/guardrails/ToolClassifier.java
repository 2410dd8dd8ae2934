package io.kimiproxy.features.guardrails;

import com.google.re2j.Pattern;
import io.kimiproxy.config.ToolCallType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Gives a tool call its {@link ToolCallType} from the tool's name and arguments. The tools Cline and
 * Continue declare are known by name (Continue's older {@code builtin_} prefix and MCP-style
 * {@code server__tool} names are read through); other names are judged by their words and
 * arguments. See docs/guardrails.md for the table.
 *
 * <ul>
 *   <li>A command tool's call is TEST_EXECUTION when its command line runs a test suite
 *       ({@link TestCommands}), else TERMINAL_COMMAND. Cline's attempt_completion is a command when
 *       it carries one (Cline runs it to show the result).</li>
 *   <li>A tool that writes a whole file is CODE_GENERATION when the file is source code (by its
 *       extension or name, or a #! first line), else FILE_WRITE; a tool that edits or patches files
 *       is FILE_WRITE.</li>
 *   <li>Diff views and review tools are CODE_REVIEW; reading, searching, browsing, asking and
 *       everything else is OTHER. Cline's use_mcp_tool is judged as the MCP tool it calls.</li>
 * </ul>
 *
 * <p>Arguments are parsed whole: a model cannot write more than its output limit (tens of
 * thousands of tokens), so this stays within a few milliseconds on the event loop.
 */
final class ToolClassifier {
  private enum Shape { CREATE, EDIT, EDITOR, COMMAND, COMPLETION, REVIEW, MCP, OTHER }

  private static final Map<String, Shape> KNOWN = Map.ofEntries(
      // Cline
      Map.entry("write_to_file", Shape.CREATE), Map.entry("replace_in_file", Shape.EDIT),
      Map.entry("execute_command", Shape.COMMAND), Map.entry("attempt_completion", Shape.COMPLETION),
      Map.entry("use_mcp_tool", Shape.MCP), Map.entry("read_file", Shape.OTHER), Map.entry("search_files", Shape.OTHER),
      Map.entry("list_files", Shape.OTHER), Map.entry("list_code_definition_names", Shape.OTHER),
      Map.entry("browser_action", Shape.OTHER), Map.entry("access_mcp_resource", Shape.OTHER),
      Map.entry("ask_followup_question", Shape.OTHER), Map.entry("new_task", Shape.OTHER),
      Map.entry("plan_mode_respond", Shape.OTHER),
      // Continue
      Map.entry("create_new_file", Shape.CREATE), Map.entry("edit_existing_file", Shape.EDIT),
      Map.entry("single_find_and_replace", Shape.EDIT), Map.entry("multi_edit", Shape.EDIT),
      Map.entry("run_terminal_command", Shape.COMMAND), Map.entry("view_diff", Shape.REVIEW), Map.entry("ls", Shape.OTHER),
      Map.entry("grep_search", Shape.OTHER), Map.entry("file_glob_search", Shape.OTHER), Map.entry("view_repo_map", Shape.OTHER),
      Map.entry("view_subdirectory", Shape.OTHER), Map.entry("search_web", Shape.OTHER),
      Map.entry("fetch_url_content", Shape.OTHER), Map.entry("read_currently_open_file", Shape.OTHER),
      Map.entry("read_file_range", Shape.OTHER), Map.entry("codebase", Shape.OTHER),
      // other agents and generic names
      Map.entry("write_file", Shape.CREATE), Map.entry("create_file", Shape.CREATE), Map.entry("write", Shape.CREATE),
      Map.entry("apply_patch", Shape.EDIT), Map.entry("edit", Shape.EDIT), Map.entry("edit_file", Shape.EDIT),
      Map.entry("multiedit", Shape.EDIT), Map.entry("apply_diff", Shape.EDIT), Map.entry("search_replace", Shape.EDIT),
      Map.entry("str_replace", Shape.EDIT), Map.entry("str_replace_editor", Shape.EDITOR),
      Map.entry("str_replace_based_edit_tool", Shape.EDITOR), Map.entry("shell", Shape.COMMAND),
      Map.entry("bash", Shape.COMMAND), Map.entry("exec", Shape.COMMAND), Map.entry("run_command", Shape.COMMAND),
      Map.entry("run_shell_command", Shape.COMMAND), Map.entry("execute_bash", Shape.COMMAND),
      Map.entry("terminal", Shape.COMMAND), Map.entry("powershell", Shape.COMMAND),
      Map.entry("code_review", Shape.REVIEW), Map.entry("review", Shape.REVIEW), Map.entry("review_code", Shape.REVIEW),
      Map.entry("git_diff", Shape.REVIEW), Map.entry("get_diff", Shape.REVIEW));

  private static final List<String> PATH_KEYS = List.of("path", "filepath", "file_path", "filename", "file",
      "target_file", "absolute_path", "paths");
  private static final List<String> CONTENT_KEYS = List.of("content", "contents", "file_text", "text", "diff",
      "changes", "new_string", "new_str", "code_edit", "edits", "patch", "input", "code");
  private static final List<String> COMMAND_KEYS = List.of("command", "cmd", "script");
  // Matched against a model's tool names and arguments: RE2/J, linear whatever they hold.
  private static final Pattern COMMAND_WORDS = Pattern.compile("shell|bash|terminal|command|exec|run|powershell|cmd|console");
  private static final Pattern WRITE_WORDS = Pattern.compile("write|create|save|overwrite|new_file");
  private static final Pattern EDIT_WORDS = Pattern.compile("edit|patch|replace|insert|append|modify|update|delete|remove|rename|move");
  private static final Pattern REVIEW_WORDS = Pattern.compile("review|diff");
  private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
  private static final Set<String> CODE_EXTENSIONS = Set.of("py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts",
      "tsx", "java", "kt", "kts", "scala", "groovy", "go", "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "fs",
      "vb", "swift", "m", "mm", "rb", "php", "pl", "pm", "lua", "r", "jl", "dart", "ex", "exs", "erl", "hs", "ml", "clj",
      "elm", "vue", "svelte", "sh", "bash", "zsh", "ps1", "sql", "zig", "nim", "sol");
  private static final Set<String> CODE_FILE_NAMES = Set.of("dockerfile", "makefile", "rakefile", "gemfile",
      "jenkinsfile", "justfile", "vagrantfile");

  private ToolClassifier() {}

  static ClassifiedCall classify(String name, String arguments) {
    return classify(name, arguments, true);
  }

  private static ClassifiedCall classify(String name, String arguments, boolean outer) {
    String raw = arguments == null ? "" : arguments;
    JsonObject args = parse(raw);
    String key = key(name);
    Shape shape = KNOWN.get(key);
    if (shape == null || (shape == Shape.MCP && !outer)) shape = guess(key, args);
    if (shape == Shape.EDITOR) {
      String command = string(args, "command");
      shape = "create".equals(command) ? Shape.CREATE : "view".equals(command) ? Shape.OTHER : Shape.EDIT;
    }
    List<String> names = List.of(name);
    switch (shape) {
      case COMMAND, COMPLETION -> {
        String line = args == null ? raw : command(args);
        if (line != null && !(shape == Shape.COMPLETION && line.isBlank())) {
          List<ShellLine.Command> commands = ShellLine.parse(line);
          ToolCallType type = TestCommands.anyRunsTests(commands) ? ToolCallType.TEST_EXECUTION : ToolCallType.TERMINAL_COMMAND;
          return new ClassifiedCall(type, name, List.of(), line, commands, names, raw, 0);
        }
      }
      case CREATE, EDIT -> {
        List<String> paths = paths(args, shape == Shape.EDIT);
        long size = args == null ? utf8Length(raw) : contentBytes(args);
        boolean code = shape == Shape.CREATE && args != null && isCode(paths, args);
        return new ClassifiedCall(code ? ToolCallType.CODE_GENERATION : ToolCallType.FILE_WRITE, name, paths, null,
            List.of(), names, raw, size);
      }
      case REVIEW -> {
        return new ClassifiedCall(ToolCallType.CODE_REVIEW, name, List.of(), null, List.of(), names, raw, 0);
      }
      case MCP -> {
        String tool = string(args, "tool_name");
        Object inner = args == null ? null : args.getValue("arguments");
        String innerArgs = inner instanceof String s ? s : inner instanceof JsonObject o ? o.encode() : "{}";
        ClassifiedCall called = classify(tool == null ? "" : tool, innerArgs, false);
        if (called.type() != ToolCallType.OTHER) {
          return new ClassifiedCall(called.type(), name, called.paths(), called.command(), called.commands(), names, raw,
              called.contentBytes());
        }
        names = List.of(name, Objects.toString(string(args, "server_name"), "") + "/" + tool);
      }
      default -> { }
    }
    return new ClassifiedCall(ToolCallType.OTHER, name, List.of(), null, List.of(), names, raw, 0);
  }

  /** The name as looked up: lower case, without Continue's builtin_ prefix or a namespace. */
  private static String key(String name) {
    String k = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (k.startsWith("builtin_")) k = k.substring("builtin_".length());
    int namespace = k.lastIndexOf("__");
    int cut = Math.max(Math.max(namespace < 0 ? -1 : namespace + 1, k.lastIndexOf('.')), k.lastIndexOf(':'));
    return k.substring(cut + 1);
  }

  private static Shape guess(String key, JsonObject args) {
    if (args == null) return Shape.OTHER;
    boolean hasPath = !paths(args, false).isEmpty();
    if (command(args) != null && COMMAND_WORDS.matcher(key).find()) return Shape.COMMAND;
    if (hasPath && WRITE_WORDS.matcher(key).find() && CONTENT_KEYS.stream().anyMatch(args::containsKey)) return Shape.CREATE;
    if (hasPath && EDIT_WORDS.matcher(key).find()) return Shape.EDIT;
    if (REVIEW_WORDS.matcher(key).find()) return Shape.REVIEW;
    return Shape.OTHER;
  }

  /**
   * The arguments as an object. Arguments cut short (a stream that ended inside a call) usually
   * lack only a closing quote and brace, and are read with them; anything else is judged on its
   * raw text.
   */
  private static JsonObject parse(String raw) {
    if (raw.isBlank()) return new JsonObject();
    for (String ending : new String[] {"", "}", "\"}"}) {
      try {
        return new JsonObject(raw + ending);
      } catch (RuntimeException e) {
        // try the next ending
      }
    }
    return null;
  }

  private static String string(JsonObject args, String key) {
    return args != null && args.getValue(key) instanceof String s ? s : null;
  }

  /** The command line: a string, or an argument vector (Codex's shell tool) quoted back into one. */
  private static String command(JsonObject args) {
    for (String key : COMMAND_KEYS) {
      Object value = args.getValue(key);
      if (value instanceof String s) return s;
      if (value instanceof JsonArray argv && !argv.isEmpty()) {
        List<String> words = new ArrayList<>();
        for (Object word : argv) {
          String w = String.valueOf(word);
          words.add(SAFE_WORD.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return String.join(" ", words);
      }
    }
    return null;
  }

  private static List<String> paths(JsonObject args, boolean readPatches) {
    Set<String> out = new LinkedHashSet<>();
    if (args == null) return List.of();
    for (String key : PATH_KEYS) {
      Object value = args.getValue(key);
      if (value instanceof String s && !s.isBlank()) out.add(s);
      if (value instanceof JsonArray list) list.forEach(p -> {
        if (p instanceof String s && !s.isBlank()) out.add(s);
      });
    }
    if (readPatches) {
      for (String key : CONTENT_KEYS) {
        if (args.getValue(key) instanceof String text) {
          PatchPaths.forEach(text, path -> {
            if (!path.equals("/dev/null")) out.add(path);
          });
        }
      }
    }
    return List.copyOf(out);
  }

  private static long contentBytes(JsonObject args) {
    long total = 0;
    for (String key : CONTENT_KEYS) {
      Object value = args.getValue(key);
      if (value instanceof String s) total += utf8Length(s);
      else if (value instanceof JsonObject || value instanceof JsonArray) total += utf8Length(String.valueOf(value));
    }
    return total;
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isCode(List<String> paths, JsonObject args) {
    for (String path : paths) {
      String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
      int dot = file.lastIndexOf('.');
      if (CODE_FILE_NAMES.contains(file) || (dot > 0 && CODE_EXTENSIONS.contains(file.substring(dot + 1)))) return true;
    }
    for (String key : CONTENT_KEYS) {
      if (args.getValue(key) instanceof String s && s.startsWith("#!")) return true;
    }
    return false;
  }
}
