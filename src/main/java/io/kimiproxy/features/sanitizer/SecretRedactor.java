package io.kimiproxy.features.sanitizer;

import io.kimiproxy.core.util.ContentHash;
import io.kimiproxy.core.util.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces secrets in text that is about to leave the machine by {@code [REDACTED:kind]}: the
 * proxy's own configured keys, provider key shapes, bearer tokens, private key blocks, passwords
 * in connection strings and secret-looking assignments ({@code API_KEY=…}, {@code password: …}).
 *
 * <p>Assignments are judged by their value, because code is full of {@code token: string} and
 * {@code password = user.password}: a value that is a member path, a call, a placeholder or an
 * environment lookup stays; a password needs a digit or symbol; any other secret needs 16+
 * characters, a digit and high entropy. Values never take a backslash or quote, so redacting
 * inside a JSON string (tool-call arguments) keeps it valid JSON.
 *
 * <p>The text is read in one forward pass, linear in its length whatever it holds (no backtracking
 * expression: a tool result is any size and shape). Each shape of secret ({@link KeyShapes},
 * {@link PrivateKeyBlocks}, {@link ConnectionPasswords}, {@link SecretAssignments}) offers its next
 * match; the one starting first wins, the earlier shape on a tie. A rejected candidate does not
 * hide a secret it overlaps: the pass goes on from the next character. The same text always gives
 * the same output, so a resent history keeps the provider's prompt cache.
 */
public final class SecretRedactor {
  /** Texts already scanned and found clean, by content hash: an IDE resends its history every turn. */
  private static final int CLEAN_ENTRIES = 50_000;

  private final List<String> configured;
  private final Map<Long, Boolean> clean = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > CLEAN_ENTRIES;
    }
  };

  /** @param configured the proxy's own credentials: always redacted, whatever their shape */
  public SecretRedactor(Collection<Secret> configured) {
    this.configured = configured.stream().map(Secret::reveal).filter(s -> s.length() >= 8).toList();
  }

  /** The text with its secrets replaced; {@code found} counts them. */
  public String redact(String text, int[] found) {
    if (text == null || text.isEmpty()) return text;
    long hash = ContentHash.of(text);
    synchronized (clean) {
      if (clean.containsKey(hash)) return text;
    }
    String redacted = scan(text, found);
    if (redacted == text) {
      synchronized (clean) {
        clean.put(hash, Boolean.TRUE);
      }
    }
    return redacted;
  }

  /** The text with its secrets replaced: the very same instance when there were none. */
  private String scan(String text, int[] found) {
    String out = text;
    for (String secret : configured) {
      out = replaceConfigured(out, secret, found);
    }
    List<SecretShape> shapes = shapes(out);
    StringBuilder result = null;
    int last = 0;
    int from = 0;
    while (from < out.length()) {
      SecretMatch first = null;
      for (SecretShape shape : shapes) {
        SecretMatch m = shape.next(from);
        if (m != null && (first == null || m.start() < first.start())) first = m;
      }
      if (first == null) break;
      if (first.kind() == null) {
        // A rejected candidate ("Authorization: Bearer") must not hide a secret it overlaps.
        from = first.start() + 1;
        continue;
      }
      if (result == null) result = new StringBuilder(out.length());
      result.append(out, last, first.headEnd()).append(placeholder(first.kind()));
      last = first.end();
      from = first.end();
      found[0]++;
    }
    if (result == null) return out;
    return result.append(out, last, out.length()).toString();
  }

  /** Every shape, in the order that decides between two matches starting at the same character. */
  private static List<SecretShape> shapes(String text) {
    List<SecretShape> shapes = new ArrayList<>(14);
    shapes.add(new PrivateKeyBlocks(text));
    shapes.addAll(KeyShapes.of(text));
    shapes.add(KeyShapes.bearer(text));
    shapes.add(new ConnectionPasswords(text));
    shapes.add(new SecretAssignments(text));
    return shapes;
  }

  private static String replaceConfigured(String text, String secret, int[] found) {
    int at = text.indexOf(secret);
    if (at < 0) return text;
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (at >= 0) {
      out.append(text, last, at).append(placeholder("configured_key"));
      found[0]++;
      last = at + secret.length();
      at = text.indexOf(secret, last);
    }
    return out.append(text, last, text.length()).toString();
  }

  static String placeholder(String kind) {
    return "[REDACTED:" + kind + "]";
  }
}
