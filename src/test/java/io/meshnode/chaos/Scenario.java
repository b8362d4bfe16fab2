package io.meshnode.chaos;

import io.vertx.core.Future;

import java.util.Set;
import java.util.function.Function;

/**
 * One fault applied to one dependency while the load runs.
 *
 * @param name        the row's name in the table, such as {@code redis-freeze}
 * @param breaker     the breaker of the faulted dependency ({@code redis}, {@code database}, {@code kafka_producer})
 * @param addresses   the public addresses that dependency serves
 * @param what        what the fault does, for RELIABILITY.md
 * @param inject      starts the fault (may block: it runs on a worker)
 * @param heal        ends it: the dependency is back when this completes
 * @param expectsOpen true when the fault must open the breaker (a fault that only drops sessions may be absorbed by
 *                    retries without opening it)
 */
record Scenario(String name, String breaker, Set<String> addresses, String what,
                Function<ScenarioContext, Future<Void>> inject, Function<ScenarioContext, Future<Void>> heal,
                boolean expectsOpen) {

  /**
   * What a fault may need of the running scenario.
   *
   * @param node     the scenario's node
   * @param poisoned publishes a fault made that Kafka will refuse for good, answered {@code queued} (the suite checks
   *                 that exactly these many end as dead letters)
   */
  record ScenarioContext(io.vertx.core.Vertx vertx, String applicationName, ChaosScale scale,
                         io.meshnode.support.TestNode node, java.util.concurrent.atomic.AtomicInteger poisoned) {
  }
}
