package io.kimiproxy.core.model;

import io.kimiproxy.core.util.ContentKey;
import java.util.List;

/** The functions a request offers the model, with a key of the whole list (for per-content caches). */
public record Tools(List<ToolDefinition> definitions, ContentKey key) {
  public static final Tools NONE = new Tools(List.of(), new ContentKey(0, 0));

  public Tools {
    definitions = List.copyOf(definitions);
  }

  public boolean isEmpty() {
    return definitions.isEmpty();
  }
}
