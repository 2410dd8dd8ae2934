package io.kimiproxy.config;

/** A configuration problem, told in one line: the file, the key and what is wrong. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String file, String key, String problem) {
    super(file + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem, null, false, false);
  }
}
