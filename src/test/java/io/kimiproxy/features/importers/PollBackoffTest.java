package io.kimiproxy.features.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PollBackoffTest {

  @Test
  void should_double_while_nothing_changes_up_to_the_cap_and_return_to_the_base_on_a_change() {
    PollBackoff backoff = new PollBackoff(30_000, 600_000);

    List<Long> waits = Stream.of(false, false, false, false, false, false, false, true, false)
        .map(backoff::next).toList();

    assertEquals(List.of(30_000L, 60_000L, 120_000L, 240_000L, 480_000L, 600_000L, 600_000L, 30_000L, 60_000L), waits);
  }
}
