package io.kimiproxy.proxy.wire;

import io.kimiproxy.core.error.ProxyError;

/** Where a {@link StreamDecoder} sends what it decoded. */
public interface ChunkSink {
  /** A chunk for the client, possibly carrying usage (the relay decides who sees it). */
  void chunk(Chunk chunk);

  /** The provider signalled the end of the answer. */
  void done();

  /** The provider reported an error inside the stream. */
  void error(ProxyError error);
}
