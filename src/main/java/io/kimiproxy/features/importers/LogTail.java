package io.kimiproxy.features.importers;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a log file like {@code tail -F}, one {@link #poll} at a time. It keeps the file open and
 * remembers its identity and offset, so that:
 * <ul>
 *   <li>a rotation (the file renamed away and a new one created at the path) is noticed by the
 *       new identity: the rest of the old file is read through the open channel, then the new
 *       file from its start;</li>
 *   <li>a truncation (size below the offset) restarts from the beginning of the file.</li>
 * </ul>
 * A file cut and refilled past the old offset between two polls cannot be told from growth (as
 * with tail). The file present at the first poll is read from its start; its lines up to the end
 * at that time are marked as backlog. Blocking and not thread-safe: one caller, on a worker thread.
 */
public final class LogTail implements Closeable {
  /** A longer line is not one the parser reads: it is dropped rather than held. */
  static final int MAX_LINE = 64 * 1024;

  /**
   * What one poll found.
   *
   * @param backlog   the lines were written before the first poll (their time is unknown)
   * @param restarted the file was replaced or cut since the last poll: earlier partial state is void
   * @param more      the read stopped at its byte limit: poll again at once
   * @param probe     the path as the poll found it
   */
  public record Read(List<String> lines, boolean backlog, boolean restarted, boolean more, SourceFile.Probe probe) {}

  private final Path path;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private FileChannel channel;
  private String identity;
  private long offset;
  private boolean skippingLongLine;
  private boolean firstPoll = true;
  private boolean catchingUp;
  private long rotations;
  private long truncations;

  public LogTail(Path path) {
    this.path = path;
  }

  public Read poll(int maxBytes) throws IOException {
    SourceFile.Probe probe = SourceFile.probe(path, Long.MAX_VALUE);
    boolean atStart = firstPoll;
    firstPoll = false;
    List<String> lines = new ArrayList<>();
    boolean restarted = false;
    boolean backlog = catchingUp;
    if (channel != null) {
      if (channel.size() < offset) {
        truncations++;
        restart();
        restarted = true;
      }
      readInto(lines, maxBytes);
      boolean replaced = !probe.ok() || !probe.identity().equals(identity);
      if (replaced && offset >= channel.size()) {
        flushPartial(lines);
        close();
      }
    }
    // A new file is opened on a poll of its own: the old file's last lines reach the parser first.
    if (channel == null && probe.ok() && lines.isEmpty()) {
      channel = SourceFile.open(path);
      if (identity != null) rotations++;
      identity = probe.identity();
      restart();
      restarted = true;
      catchingUp = atStart;
      backlog = atStart;
      readInto(lines, maxBytes);
    }
    boolean more = channel != null ? offset < channel.size() : probe.ok();
    if (!more) catchingUp = false;
    return new Read(lines, backlog, restarted, more, probe);
  }

  public long offset() {
    return offset;
  }

  public long rotations() {
    return rotations;
  }

  public long truncations() {
    return truncations;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void restart() {
    offset = 0;
    partial.reset();
    skippingLongLine = false;
  }

  private void readInto(List<String> lines, int maxBytes) throws IOException {
    long end = Math.min(channel.size(), offset + maxBytes);
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(0, end - offset)));
    while (offset < end) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - offset));
      int n = channel.read(buffer, offset);
      if (n <= 0) break;
      offset += n;
      byte[] bytes = buffer.array();
      for (int i = 0; i < n; i++) {
        if (bytes[i] == '\n') {
          if (!skippingLongLine) lines.add(decode());
          partial.reset();
          skippingLongLine = false;
        } else if (!skippingLongLine) {
          partial.write(bytes[i]);
          if (partial.size() > MAX_LINE) {
            partial.reset();
            skippingLongLine = true;
          }
        }
      }
    }
  }

  /** The old file is finished: its last line needs no newline to be complete. */
  private void flushPartial(List<String> lines) {
    if (partial.size() > 0 && !skippingLongLine) lines.add(decode());
    partial.reset();
    skippingLongLine = false;
  }

  private String decode() {
    String line = partial.toString(StandardCharsets.UTF_8);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
