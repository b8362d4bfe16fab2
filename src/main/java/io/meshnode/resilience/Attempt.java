package io.meshnode.resilience;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One try on the dependency; it must not outlive {@code remainingMillis}. */
@FunctionalInterface
public interface Attempt {

  Future<JsonObject> call(long remainingMillis);
}
