package io.kimiproxy.features.guardrails;

import java.util.List;
import java.util.Set;

/**
 * Tells a command that runs a test suite: test runners called directly (pytest, jest, vitest,
 * mocha, rspec, phpunit...), the test verbs of build tools and package managers (go test, cargo
 * test, mvn test/verify, gradle test/check, npm test, npm run test:unit, dotnet test...), and
 * {@code python -m pytest|unittest}. Wrappers such as npx, poetry run or sudo are already gone
 * (see {@link ShellLine}).
 */
final class TestCommands {
  private static final Set<String> RUNNERS = Set.of("pytest", "py.test", "jest", "vitest", "mocha", "ava", "tox",
      "nox", "phpunit", "pest", "rspec", "ctest", "karma", "nextest", "nose2", "behave", "cucumber-js");
  private static final Set<String> TEST_VERB_TOOLS = Set.of("go", "cargo", "dotnet", "deno", "swift", "mix", "bun",
      "zig", "flutter", "dart", "stack", "cabal", "sbt", "lein", "elixir");
  private static final Set<String> BUILD_TOOLS = Set.of("mvn", "mvnw", "gradle", "gradlew");
  private static final Set<String> BUILD_TEST_TASKS = Set.of("test", "verify", "check", "integration-test");
  private static final Set<String> PACKAGE_MANAGERS = Set.of("npm", "yarn", "pnpm");
  private static final Set<String> PYTHON_TEST_MODULES = Set.of("pytest", "unittest", "nose2", "tox");

  private TestCommands() {}

  static boolean anyRunsTests(List<ShellLine.Command> commands) {
    return commands.stream().anyMatch(TestCommands::runsTests);
  }

  static boolean runsTests(ShellLine.Command c) {
    String p = c.program();
    List<String> args = c.args();
    String verb = verb(args, 0);
    if (RUNNERS.contains(p)) return true;
    if (TEST_VERB_TOOLS.contains(p)) return "test".equals(verb) || (p.equals("cargo") && "nextest".equals(verb));
    if (BUILD_TOOLS.contains(p)) {
      return args.stream().anyMatch(a -> BUILD_TEST_TASKS.contains(a) || a.endsWith(":test") || a.endsWith(":check"));
    }
    if (PACKAGE_MANAGERS.contains(p)) {
      if ("run".equals(verb)) verb = verb(args, args.indexOf("run") + 1);
      return verb != null && (verb.equals("t") || verb.equals("test") || verb.startsWith("test:"));
    }
    if (p.equals("make")) return args.contains("test") || args.contains("check");
    if (p.equals("rake")) return "test".equals(verb) || "spec".equals(verb);
    if (p.equals("playwright")) return "test".equals(verb);
    if (p.equals("cypress")) return "run".equals(verb);
    if (p.startsWith("python") || p.equals("py")) {
      int m = args.indexOf("-m");
      return m >= 0 && m + 1 < args.size() && PYTHON_TEST_MODULES.contains(args.get(m + 1));
    }
    return false;
  }

  /** The first argument from {@code from} on that is not an option. */
  private static String verb(List<String> args, int from) {
    for (int i = Math.max(from, 0); i < args.size(); i++) {
      if (!args.get(i).startsWith("-")) return args.get(i);
    }
    return null;
  }
}
