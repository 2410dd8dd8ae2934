package io.kimiproxy.features.sanitizer;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores masked originals once. The same outputs are masked again on every turn of a
 * conversation; only those not stored yet (since the start, within a bounded memory) are written.
 */
public final class MaskArchive {
  private static final int REMEMBERED = 50_000;

  private final SanitizerStore store;
  private final Map<String, Boolean> stored = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };

  public MaskArchive(SanitizerStore store) {
    this.store = store;
  }

  public Future<Void> keep(List<MaskedOutput> masks) {
    List<MaskedOutput> fresh = new ArrayList<>();
    synchronized (stored) {
      for (MaskedOutput m : masks) {
        if (stored.get(m.hash()) == null && fresh.stream().noneMatch(f -> f.hash().equals(m.hash()))) fresh.add(m);
      }
    }
    return store.saveMasks(fresh).onSuccess(v -> {
      synchronized (stored) {
        fresh.forEach(m -> stored.put(m.hash(), Boolean.TRUE));
      }
    });
  }
}
