package io.meshnode.chaos;

/**
 * How long and how hard a chaos scenario runs. The short form runs inside every {@code mvn verify}; the full form
 * ({@code mvn verify -Pchaos}, system property {@code mesh.chaos.full=true}) runs the same code with more requests and
 * longer phases.
 *
 * @param name           short or full
 * @param intervalMillis the load sends one request to every public address each interval
 * @param warmMillis     load before the fault
 * @param holdMillis     how long the fault lasts
 * @param tailMillis     load kept up after the node is healthy again
 */
record ChaosScale(String name, long intervalMillis, long warmMillis, long holdMillis, long tailMillis) {

  /** System property that selects the full form. */
  static final String FULL_PROPERTY = "mesh.chaos.full";

  static final ChaosScale SHORT = new ChaosScale("short", 20, 500, 3_000, 300);
  static final ChaosScale FULL = new ChaosScale("full", 5, 3_000, 12_000, 3_000);

  static ChaosScale fromSystemProperties() {
    return Boolean.getBoolean(FULL_PROPERTY) ? FULL : SHORT;
  }

  /** Requests per second over the five addresses. */
  long requestsPerSecond() {
    return 5 * 1_000 / intervalMillis;
  }
}
