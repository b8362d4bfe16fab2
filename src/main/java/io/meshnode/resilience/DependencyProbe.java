package io.meshnode.resilience;

import io.meshnode.contract.LocalEvents;
import io.meshnode.contract.MeshAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * Checks one dependency on a timer (a PING, a {@code SELECT 1}, a cluster description) and publishes the result on
 * {@link MeshAddress#EVENTS_DEPENDENCY}, so that {@code /health} tells a dependency is down even before any request
 * has tripped its breaker. Logs each change of reachability once.
 */
public final class DependencyProbe {

  /** Default time between probes. */
  public static final long DEFAULT_INTERVAL_MILLIS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(DependencyProbe.class);

  private final Vertx vertx;
  private final String dependency;
  private final Supplier<Future<?>> check;
  private Boolean lastReachable;

  private DependencyProbe(Vertx vertx, String dependency, Supplier<Future<?>> check) {
    this.vertx = vertx;
    this.dependency = dependency;
    this.check = check;
  }

  /**
   * Probes now and then every {@code intervalMillis}, until the calling verticle is undeployed (its timers go with
   * it). {@code check} must fail within the interval when the dependency does not answer.
   */
  public static DependencyProbe start(Vertx vertx, String dependency, long intervalMillis, Supplier<Future<?>> check) {
    DependencyProbe probe = new DependencyProbe(vertx, dependency, check);
    probe.probe();
    vertx.setPeriodic(intervalMillis, id -> probe.probe());
    return probe;
  }

  /** Whether the last probe went unanswered (false until a probe failed: a dependency is presumed there). */
  public boolean unreachable() {
    return Boolean.FALSE.equals(lastReachable);
  }

  /** Reads {@code probe_interval_ms} from a dependency's config section. */
  public static long intervalMillis(JsonObject section, String path) {
    return ConfigValues.positiveInt(section, path, "probe_interval_ms", (int) DEFAULT_INTERVAL_MILLIS);
  }

  private void probe() {
    check.get().onComplete(ar -> {
      JsonObject event = new JsonObject().put("dependency", dependency).put("reachable", ar.succeeded())
        .put("checkedAt", Instant.now().toString());
      if (ar.failed()) {
        event.put("error", String.valueOf(ar.cause().getMessage()));
      }
      if (lastReachable == null || lastReachable != ar.succeeded()) {
        if (ar.succeeded()) {
          LOG.info("dependency {} reachable", dependency);
        } else {
          LOG.warn("dependency {} unreachable: {}", dependency, ar.cause().getMessage());
        }
        lastReachable = ar.succeeded();
      }
      LocalEvents.publish(vertx, MeshAddress.EVENTS_DEPENDENCY, event);
    });
  }
}
