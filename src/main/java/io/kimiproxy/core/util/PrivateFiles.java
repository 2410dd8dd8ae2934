package io.kimiproxy.core.util;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Folders and files only their owner can read: the database, its WAL, the cached answers and the
 * backups hold prompts, tool outputs and answers. Modes are set explicitly after creation, so the
 * umask the proxy was started with (0022 leaves files world-readable, 0000 even writable) does not
 * decide. On file systems without POSIX modes (Windows) the folders are created as they come.
 */
public final class PrivateFiles {
  public static final String FOLDER_MODE = "rwx------";
  public static final String FILE_MODE = "rw-------";
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /** Creates the folder and its missing parents, each 0700; an existing folder is left as it is. Blocking. */
  public static Path folder(Path folder) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = folder.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) missing.push(p);
    Files.createDirectories(folder);
    for (Path created : missing) restrict(created, FOLDER_MODE);
    return folder;
  }

  /** Creates an empty file, 0600; fails if it exists. Blocking. */
  public static Path newFile(Path file) throws IOException {
    Files.createFile(file);
    restrict(file, FILE_MODE);
    return file;
  }

  /** Makes an existing file 0600 (files an older version left readable); nothing when it is absent. Blocking. */
  public static void tighten(Path file) throws IOException {
    if (Files.isRegularFile(file)) restrict(file, FILE_MODE);
  }

  /** Creates the file when absent, and makes it 0600 either way. Blocking. */
  public static Path file(Path file) throws IOException {
    try {
      return newFile(file);
    } catch (FileAlreadyExistsException exists) {
      tighten(file);
      return file;
    }
  }

  /** The folder and its missing parents, 0700 (the folder itself made so even if it existed). */
  public static Future<Void> folder(FileSystem fs, String folder) {
    if (!POSIX) return fs.mkdirs(folder);
    return fs.mkdirs(folder, FOLDER_MODE).compose(v -> fs.chmod(folder, FOLDER_MODE));
  }

  /** Writes a whole file, 0600 from its creation on: it is never readable by others, not even briefly. */
  public static Future<Void> write(FileSystem fs, String file, Buffer content) {
    OpenOptions options = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true);
    if (POSIX) options.setPerms(FILE_MODE);
    return fs.open(file, options).compose(handle -> handle.write(content).eventually(handle::close))
        .compose(v -> POSIX ? fs.chmod(file, FILE_MODE) : Future.succeededFuture());
  }

  private static void restrict(Path path, String mode) throws IOException {
    if (POSIX) Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
  }
}
