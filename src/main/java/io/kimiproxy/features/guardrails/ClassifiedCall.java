package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import java.util.List;

/**
 * A tool call as the rules see it: its type and the targets its type's patterns are matched
 * against. File types have paths, command types the simple commands of their command line,
 * CODE_REVIEW and OTHER the tool's names (the call is their one target).
 *
 * @param command      the command line as written (command types), for notices and previews
 * @param names        the tool's name, and for an MCP call also {@code server/tool}
 * @param contentBytes UTF-8 size of what a file write would write (file types)
 */
record ClassifiedCall(ToolCallType type, String tool, List<String> paths, String command,
                      List<ShellLine.Command> commands, List<String> names, String arguments, long contentBytes) {

  int targetCount() {
    if (type.writesFiles()) return paths.size();
    if (type.runsCommands()) return commands.size();
    return 1;
  }
}
