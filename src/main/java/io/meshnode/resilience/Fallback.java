package io.meshnode.resilience;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The graceful degradation of one dependency ({@code fallback_strategies}): answers a request the primary could not,
 * and watches the primary's successes to stay warm. A fallback that cannot answer fails with a contract code.
 */
public interface Fallback {

  /**
   * Answers {@code request} (the validated internal request) sent to public {@code address}, which failed with
   * {@code cause}.
   */
  Future<JsonObject> apply(String address, JsonObject request, Throwable cause);

  /** Observes a successful primary reply. Must be cheap: it runs on the request's hot path. */
  default void onPrimarySuccess(String address, JsonObject request, JsonObject reply) {
  }
}
