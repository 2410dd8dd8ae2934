package io.kimiproxy.core.util;

import java.util.Collection;
import java.util.List;
import com.google.re2j.Pattern;

/**
 * Removes credentials from text that leaves the process (error messages relayed from providers,
 * log lines, ledger rows). Providers sometimes echo a key, masked or not ("Incorrect API key
 * provided: sk-proj-****abcd"), so both the configured values and key-shaped tokens are replaced.
 * The text can be anything a provider or a model wrote, of any length: the shapes are an RE2/J
 * expression (linear time), and configured values are replaced by plain search.
 */
public final class SecretScrubber {
  private static final Pattern KEY_SHAPES = Pattern.compile(
      "(sk-[A-Za-z0-9_*\\-]{6,}|gsk_[A-Za-z0-9]{6,}|nvapi-[A-Za-z0-9_\\-]{6,}|AIza[0-9A-Za-z_\\-]{20,}"
          + "|csk-[A-Za-z0-9]{6,}|xai-[A-Za-z0-9]{6,}|(?i:bearer)[\\t\\n\\x0B\\f\\r ]+[A-Za-z0-9._~+/\\-]{8,}=*)");
  private static final String MARK = "[redacted]";

  private final List<String> secrets;

  public SecretScrubber(Collection<Secret> secrets) {
    this.secrets = secrets.stream().map(Secret::reveal).filter(s -> s.length() >= 4).toList();
  }

  public String scrub(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) out = out.replace(secret, MARK);
    }
    return KEY_SHAPES.matcher(out).replaceAll(MARK);
  }
}
