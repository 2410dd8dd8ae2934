package io.kimiproxy.proxy.inbound;

import io.kimiproxy.config.ModelMapping;
import io.kimiproxy.config.ProxyConfig;
import java.util.Map;

/**
 * Turns the model name a client of another API asked for into what the proxy routes: a name that
 * is already an alias, a smart alias or {@code provider/model} goes as it is; else the mapping's
 * exact name, then its first matching glob (file order), then its default; else the name as it
 * came (and routing answers it as an unknown model).
 */
public final class ModelNames {
  private final ProxyConfig config;
  private final ModelMapping mapping;

  public ModelNames(ProxyConfig config, ModelMapping mapping) {
    this.config = config;
    this.mapping = mapping;
  }

  public String resolve(String requested) {
    if (routable(requested)) return requested;
    String exact = mapping.models().get(requested);
    if (exact != null) return exact;
    for (Map.Entry<String, String> entry : mapping.models().entrySet()) {
      if (entry.getKey().indexOf('*') >= 0 && matches(entry.getKey(), requested)) return entry.getValue();
    }
    return mapping.defaultModel() != null ? mapping.defaultModel() : requested;
  }

  private boolean routable(String name) {
    if (config.models().containsKey(name) || config.routing().candidates().containsKey(name)) return true;
    int slash = name.indexOf('/');
    return slash > 0 && config.providers().containsKey(name.substring(0, slash));
  }

  /**
   * Whether {@code name} matches {@code glob}, where {@code *} stands for any run of characters.
   * One pass that returns to the last star on a mismatch: at most the name's length times the
   * glob's, and globs are a few characters of configuration.
   */
  static boolean matches(String glob, String name) {
    int g = 0;
    int n = 0;
    int star = -1;
    int resume = 0;
    while (n < name.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        resume = n;
      } else if (g < glob.length() && glob.charAt(g) == name.charAt(n)) {
        g++;
        n++;
      } else if (star >= 0) {
        g = star + 1;
        n = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') g++;
    return g == glob.length();
  }
}
