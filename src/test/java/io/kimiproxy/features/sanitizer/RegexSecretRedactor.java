package io.kimiproxy.features.sanitizer;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The redactor as it was written with one backtracking expression (superlinear on some inputs),
 * kept as the reference the one-pass scanner must agree with on every small input.
 */
final class RegexSecretRedactor {
  private static final String V = "[^\\s\"'`,;\\\\()<>\\[\\]{}]";
  private static final Pattern SECRETS = Pattern.compile(String.join("|",
      "(?<privatekey>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)",
      "(?<![\\w-])(?<anthropic>sk-ant-[A-Za-z0-9_-]{20,})",
      "(?<![\\w-])(?<openrouter>sk-or-[A-Za-z0-9_-]{20,})",
      "(?<![\\w-])(?<openai>sk-[A-Za-z0-9_-]{20,})",
      "(?<![\\w-])(?<groq>gsk_[A-Za-z0-9]{20,})",
      "(?<![\\w-])(?<nvidia>nvapi-[A-Za-z0-9_-]{20,})",
      "(?<![\\w-])(?<google>AIza[0-9A-Za-z_-]{35})",
      "(?<![\\w-])(?<xai>xai-[A-Za-z0-9]{20,})",
      "(?<![\\w-])(?<github>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})",
      "(?<![A-Za-z0-9])(?<aws>(?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Za-z0-9])",
      "(?<![\\w-])(?<slack>xox[abposr]-[A-Za-z0-9-]{10,})",
      "(?<bearerhead>(?i:bearer)\\s+)(?<bearer>[A-Za-z0-9._~+/-]{16,}=*)",
      "(?<urlhead>\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/\\s@'\"\\\\]+:)(?<urlpassword>[^@\\s/'\"\\\\]{1,200})(?=@)",
      "(?<assignhead>(?i)\\b[A-Za-z0-9_.-]*?(?<assignkey>api[_-]?key|secret|token|passw(?:or)?d|pwd|access[_-]?key|private[_-]?key|auth)"
          + "[A-Za-z0-9_]*[\"']?\\s*[:=]\\s*[\"']?)(?<assignvalue>" + V + "{6,}+)(?!\\()"));
  private static final Pattern MEMBER_PATH = Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+");
  private static final Pattern PLACEHOLDER = Pattern.compile(
      "(?i).*(?:\\$\\{|\\{\\{|process\\.env|os\\.environ|getenv|placeholder|changeme|your[_-]|xxx|\\*\\*\\*|REDACTED).*");
  private static final List<String> KINDS = List.of("privatekey", "anthropic", "openrouter", "openai", "groq", "nvidia",
      "google", "xai", "github", "aws", "slack");
  private static final List<String> KIND_NAMES = List.of("private_key", "anthropic_key", "openrouter_key", "openai_key",
      "groq_key", "nvidia_key", "google_key", "xai_key", "github_token", "aws_access_key", "slack_token");

  private final List<String> configured;

  RegexSecretRedactor(List<String> configured) {
    this.configured = configured;
  }

  String redact(String text, int[] found) {
    String out = text;
    for (String secret : configured) {
      int at = out.indexOf(secret);
      while (at >= 0) {
        out = out.substring(0, at) + placeholder("configured_key") + out.substring(at + secret.length());
        found[0]++;
        at = out.indexOf(secret, at);
      }
    }
    Matcher m = SECRETS.matcher(out);
    StringBuilder result = null;
    int last = 0;
    int from = 0;
    while (from < out.length() && m.find(from)) {
      String replacement = replacement(m);
      if (replacement == null) {
        from = m.start() + 1;
        continue;
      }
      if (result == null) result = new StringBuilder(out.length());
      result.append(out, last, m.start()).append(replacement);
      last = m.end();
      from = m.end();
      found[0]++;
    }
    if (result == null) return out;
    return result.append(out, last, out.length()).toString();
  }

  private static String replacement(Matcher m) {
    for (int i = 0; i < KINDS.size(); i++) {
      if (m.group(KINDS.get(i)) != null) return placeholder(KIND_NAMES.get(i));
    }
    if (m.group("bearer") != null) return m.group("bearerhead") + placeholder("bearer_token");
    if (m.group("urlpassword") != null) {
      String password = m.group("urlpassword");
      return PLACEHOLDER.matcher(password).matches() ? null : m.group("urlhead") + placeholder("connection_password");
    }
    String value = m.group("assignvalue");
    return secretValue(m.group("assignkey"), value) ? m.group("assignhead") + placeholder("secret_assignment") : null;
  }

  private static boolean secretValue(String key, String value) {
    if (PLACEHOLDER.matcher(value).matches() || MEMBER_PATH.matcher(value).matches()) return false;
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("pass") || k.equals("pwd")) {
      return value.chars().anyMatch(c -> !Character.isLetter(c));
    }
    return value.length() >= 16 && value.chars().anyMatch(Character::isDigit) && entropy(value) >= 3.5;
  }

  private static double entropy(String value) {
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 128) counts[c]++; else other++;
    }
    double bits = 0;
    double n = value.length();
    for (int count : counts) {
      if (count > 0) bits -= count / n * (Math.log(count / n) / Math.log(2));
    }
    if (other > 0) bits -= other / n * (Math.log(other / n) / Math.log(2));
    return bits;
  }

  private static String placeholder(String kind) {
    return "[REDACTED:" + kind + "]";
  }
}
