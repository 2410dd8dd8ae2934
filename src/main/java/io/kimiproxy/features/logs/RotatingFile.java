package io.kimiproxy.features.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file rotated by size: once it reaches {@code maxBytes}, {@code file.N} is dropped, each
 * {@code file.i} becomes {@code file.i+1}, the file becomes {@code file.1}, and a new file starts;
 * {@code keep} rotated files are kept (none: the file starts over). Written by one thread only.
 */
final class RotatingFile implements AutoCloseable {
  private final Path file;
  private final long maxBytes;
  private final int keep;
  private OutputStream out;
  private long size;

  RotatingFile(Path file, long maxBytes, int keep) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null) Files.createDirectories(folder);
    open();
  }

  void write(String line) throws IOException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (size > 0 && size + bytes.length > maxBytes) rotate();
    out.write(bytes);
    size += bytes.length;
  }

  void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void rotate() throws IOException {
    out.close();
    if (keep == 0) {
      Files.deleteIfExists(file);
    } else {
      Files.deleteIfExists(rotated(keep));
      for (int i = keep - 1; i >= 1; i--) {
        if (Files.exists(rotated(i))) Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }
    open();
  }

  private void open() throws IOException {
    out = new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    size = Files.size(file);
  }

  private Path rotated(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }
}
