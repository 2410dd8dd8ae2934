package io.kimiproxy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Realistic prompt text: the proxy's own Java sources, which is what an IDE assistant sends
 * (file dumps, code, comments). Tokenizers are much slower on code than on random letters or
 * repeated words, so synthetic filler would flatter the counting figures.
 */
record Corpus(List<SourceFile> files, String all) {

  record SourceFile(String path, String text) {}

  static Corpus load(Path sources) {
    try (Stream<Path> walk = Files.walk(sources)) {
      List<SourceFile> files = walk.filter(p -> p.toString().endsWith(".java")).sorted()
          .map(p -> new SourceFile(sources.relativize(p).toString(), read(p))).toList();
      if (files.isEmpty()) throw new IllegalStateException("no .java files under " + sources);
      StringBuilder all = new StringBuilder();
      files.forEach(f -> all.append(f.text()));
      return new Corpus(files, all.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code length} characters of code starting at {@code offset}, wrapping around the corpus. */
  String slice(int offset, int length) {
    StringBuilder out = new StringBuilder(length);
    int at = Math.floorMod(offset, all.length());
    while (out.length() < length) {
      int take = Math.min(length - out.length(), all.length() - at);
      out.append(all, at, at + take);
      at = 0;
    }
    return out.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
