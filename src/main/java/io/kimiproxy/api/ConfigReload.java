package io.kimiproxy.api;

import io.kimiproxy.api.wiring.Foundation;
import io.kimiproxy.api.wiring.Module;
import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * {@code POST /api/recovery/reload-config}: reads config.toml again and, when it is valid, builds
 * the next {@link Generation} and swaps it in. Requests in flight finish on the old one;
 * an invalid file is refused with the reason and the running configuration stays. What cannot
 * change without a restart (the listening server, the database, agents, importers) keeps its
 * running value and is named in the answer.
 */
final class ConfigReload {
  private static final Logger LOG = Logger.getLogger(ConfigReload.class.getName());
  private static final long MAX_GRACE_MS = 600_000;

  private final Generations server;
  private final AtomicBoolean reloading = new AtomicBoolean();

  ConfigReload(Generations server) {
    this.server = server;
  }

  Future<JsonObject> reload() {
    if (!reloading.compareAndSet(false, true)) {
      return Future.failedFuture(ProxyError.of(409, ErrorType.INVALID_REQUEST, "reload_in_progress",
          "A configuration reload is already running."));
    }
    Foundation running = server.foundation();
    ProxyConfig old = running.config();
    return running.vertx().executeBlocking(() -> ConfigLoader.load(old.source(), System.getenv()), false)
        .recover(e -> Future.failedFuture(ProxyError.of(422, ErrorType.INVALID_REQUEST, "invalid_config",
            "The configuration was not reloaded, the running one stays: " + e.getMessage())))
        .compose(loaded -> {
          ProxyConfig next = loaded.keepingRestartOnlyPartsOf(old);
          Generation generation = server.generation(running.withConfig(next));
          return Future.all(generation.modules().stream().map(Module::beforeListening).toList()).map(v -> {
            server.swap(generation, graceMs(old));
            JsonArray restart = new JsonArray(loaded.restartOnlyDifferences(old));
            LOG.info("configuration reloaded: " + next.providers().size() + " providers, " + next.models().size()
                + " models" + (restart.isEmpty() ? "" : "; restart needed for " + restart.encode()));
            return new JsonObject().put("reloaded", true).put("providers", next.providers().size())
                .put("models", next.models().size()).put("restart_required", restart);
          });
        })
        .onComplete(ar -> reloading.set(false));
  }

  /** The old generation lives as long as a request started on it may: its providers' longest total timeout. */
  private static long graceMs(ProxyConfig old) {
    long longest = old.providers().values().stream().mapToLong(p -> p.timeouts().totalMs()).max().orElse(0);
    return Math.min(MAX_GRACE_MS, longest + 1000);
  }

}
