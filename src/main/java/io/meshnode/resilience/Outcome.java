package io.meshnode.resilience;

import io.vertx.core.json.JsonObject;

/**
 * What the pipeline answers a request with.
 *
 * @param body         the reply body
 * @param fromFallback true when the fallback answered
 * @param attempts     attempts made on the dependency (0 when the breaker failed fast)
 */
public record Outcome(JsonObject body, boolean fromFallback, int attempts) {
}
