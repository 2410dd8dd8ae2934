package io.kimiproxy.features.cache;

import io.kimiproxy.core.util.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;

/** Cached answers as files {@code KEY.json} in one folder, through Vert.x's asynchronous file system. */
public final class FileCacheBodies implements CacheBodies {
  private final Vertx vertx;
  private final Path dir;

  public FileCacheBodies(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  @Override
  public Future<Void> write(String key, Buffer body) {
    // Answers are prompts' replies: the owner's only, whatever the umask.
    return PrivateFiles.folder(fs(), dir.toString()).compose(v -> PrivateFiles.write(fs(), file(key), body));
  }

  @Override
  public Future<Buffer> read(String key) {
    return fs().readFile(file(key)).otherwise((Buffer) null);
  }

  @Override
  public Future<Void> delete(String key) {
    String path = file(key);
    return fs().exists(path).compose(exists -> exists ? fs().delete(path) : Future.succeededFuture());
  }

  @Override
  public Future<Void> clear() {
    return fs().exists(dir.toString())
        .compose(exists -> exists ? fs().deleteRecursive(dir.toString()) : Future.succeededFuture());
  }

  private FileSystem fs() {
    return vertx.fileSystem();
  }

  /** Only a key's own shape becomes a file name: nothing can point outside the folder. */
  private String file(String key) {
    if (!ResponseCache.validKey(key)) throw new IllegalArgumentException("not a cache key");
    return dir.resolve(key + ".json").toString();
  }
}
