package io.kimiproxy.features.importers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Careful reads of a file another program owns. A link at the path is refused rather than followed
 * (the path could be pointed anywhere, say at a file of secrets), as is anything but a regular file
 * (reading a FIFO or a device would block or never end). Blocking: call from a worker thread.
 */
public final class SourceFile {
  private SourceFile() {}

  public enum Kind { MISSING, SYMLINK, NOT_REGULAR, TOO_LARGE, REGULAR }

  /**
   * What is at a path, without following a link.
   *
   * @param identity the file's inode where the file system has one, else its creation time: a
   *                 different identity at the same path means the file was replaced (rotated)
   */
  public record Probe(Path path, Kind kind, long size, long modifiedMs, String identity) {

    public boolean ok() {
      return kind == Kind.REGULAR;
    }

    /** Why the file is not read, in words for a status page; null when it is read. */
    public String problem(long maxBytes) {
      return switch (kind) {
        case REGULAR -> null;
        case MISSING -> "no file at " + path;
        case SYMLINK -> "refused: " + path + " is a symbolic link; set the path to the file itself";
        case NOT_REGULAR -> "refused: " + path + " is not a regular file";
        case TOO_LARGE -> "refused: " + path + " is " + size + " bytes, over the limit of " + maxBytes + " bytes";
      };
    }

    /** Size, time and identity together: equal fingerprints mean nothing was written in between. */
    public String fingerprint() {
      return identity + "/" + size + "/" + modifiedMs;
    }
  }

  public static Probe probe(Path path, long maxBytes) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new Probe(path, Kind.MISSING, 0, 0, null);
    }
    Kind kind = attrs.isSymbolicLink() ? Kind.SYMLINK
        : !attrs.isRegularFile() ? Kind.NOT_REGULAR
        : attrs.size() > maxBytes ? Kind.TOO_LARGE
        : Kind.REGULAR;
    return new Probe(path, kind, attrs.size(), attrs.lastModifiedTime().toMillis(), identity(path, attrs));
  }

  private static String identity(Path path, BasicFileAttributes attrs) {
    try {
      return "ino:" + Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
      return "created:" + attrs.creationTime().toMillis();
    }
  }

  /** Opens for reading; fails rather than follow a link put at the path since the probe. */
  public static FileChannel open(Path path) throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  /** The whole file, or an {@link IOException} when it is (or has grown) over {@code maxBytes}. */
  public static byte[] readAll(Path path, long maxBytes) throws IOException {
    try (FileChannel channel = open(path)) {
      long size = channel.size();
      if (size > maxBytes) throw new IOException(path + " is " + size + " bytes, over the limit of " + maxBytes + " bytes");
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // a read may return fewer bytes than asked; a file cut short meanwhile ends the loop at -1
      }
      return buffer.hasRemaining() ? Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
    }
  }
}
