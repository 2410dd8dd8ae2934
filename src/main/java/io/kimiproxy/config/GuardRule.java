package io.kimiproxy.config;

import java.util.List;
import java.util.Locale;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * The guardrail rule of one tool-call type. Built from config.toml and from {@code PUT
 * /api/guardrails/rules}; the constructor is the one place values are checked, and its messages
 * start with the field's name so both callers can say where the problem is.
 *
 * @param requiresConfirmation every call of the type that no allowed pattern covers breaks the rule
 *                             (so with action block only allowed calls pass)
 * @param maxFileSizeMb        largest content a file write may carry; 0 for no limit (file types only)
 * @param allowedPatterns      calls these cover pass, whatever else they match
 * @param blockedPatterns      calls these match break the rule
 */
public record GuardRule(boolean enabled, boolean requiresConfirmation, double maxFileSizeMb,
                        List<String> allowedPatterns, List<String> blockedPatterns, Action action) {
  public static final double MAX_FILE_SIZE_MB = 1024;
  private static final int MAX_PATTERNS = 200;
  private static final int MAX_PATTERN_LENGTH = 500;

  /**
   * A {@code re:} pattern's expression, compiled as the guardrails search with it: RE2 syntax
   * (linear time whatever a model's tool call holds, so no look-around or back-references),
   * case-insensitive.
   */
  public static Pattern regex(String expression) {
    return Pattern.compile(expression, Pattern.CASE_INSENSITIVE);
  }

  /** What happens to a call that breaks the rule. */
  public enum Action {
    LOG, BLOCK;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Action parse(String label) {
      for (Action a : values()) {
        if (a.label().equals(label)) return a;
      }
      return null;
    }
  }

  private static final List<String> SENSITIVE_FILES = List.of("*.env", "*.key", "*secret*");
  private static final List<String> DANGEROUS_COMMANDS = List.of("rm -rf", "mkfs", "dd of=/dev/", "format",
      "del /S /Q", "curl | sh", "curl | bash", "wget | sh", "wget | bash", "iwr | iex", "irm | iex");
  private static final double DEFAULT_FILE_SIZE_MB = 10;

  public GuardRule {
    if (action == null) throw new IllegalArgumentException("action: must be log or block");
    if (!(maxFileSizeMb >= 0 && maxFileSizeMb <= MAX_FILE_SIZE_MB)) {
      throw new IllegalArgumentException("max_file_size_mb: " + maxFileSizeMb + " is out of range [0, " + (int) MAX_FILE_SIZE_MB + "]");
    }
    allowedPatterns = checked("allowed_patterns", allowedPatterns);
    blockedPatterns = checked("blocked_patterns", blockedPatterns);
  }

  /**
   * The rule a type has when config.toml says nothing. Both file types share theirs and both
   * command types share theirs, so a call that the classifier puts in the other type of the pair
   * (a new .py file rather than a config file, `npm test && rm -rf /` rather than a plain command)
   * does not escape the protection.
   */
  public static GuardRule defaults(ToolCallType type) {
    if (type.writesFiles()) return new GuardRule(true, false, DEFAULT_FILE_SIZE_MB, List.of(), SENSITIVE_FILES, Action.LOG);
    if (type.runsCommands()) return new GuardRule(true, false, 0, List.of(), DANGEROUS_COMMANDS, Action.LOG);
    return new GuardRule(true, false, 0, List.of(), List.of(), Action.LOG);
  }

  private static List<String> checked(String field, List<String> patterns) {
    if (patterns == null) return List.of();
    if (patterns.size() > MAX_PATTERNS) throw new IllegalArgumentException(field + ": more than " + MAX_PATTERNS + " patterns");
    for (String p : patterns) {
      if (p == null || p.isBlank()) throw new IllegalArgumentException(field + ": a pattern is empty");
      if (p.length() > MAX_PATTERN_LENGTH) {
        throw new IllegalArgumentException(field + ": a pattern is longer than " + MAX_PATTERN_LENGTH + " characters");
      }
      if (p.startsWith("re:")) {
        try {
          regex(p.substring(3));
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(field + ": '" + p + "' is not a valid regular expression ("
              + e.getDescription() + ")");
        }
      }
    }
    return List.copyOf(patterns);
  }
}
