package io.kimiproxy.features.clients;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.testing.PathologicalTexts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The task preview reads a bounded head of the message, whatever its size and shape. */
class TaskPreviewScalingTest {
  @Test
  void should_preview_pathological_messages_quickly() {
    SecretScrubber scrubber = new SecretScrubber(List.of());
    for (Map.Entry<String, String> text : PathologicalTexts.ofSize(1_000_000).entrySet()) {
      String preview = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> TaskPreview.preview(text.getValue(), scrubber),
          text.getKey());
      assertTrue(preview.length() <= TaskPreview.LENGTH, text.getKey());
    }
  }
}
