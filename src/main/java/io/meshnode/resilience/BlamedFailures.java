package io.meshnode.resilience;

import io.meshnode.contract.Blame;
import io.vertx.core.eventbus.ReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a data verticle's classified failure into the coded failure it answers, and logs the node's own configuration
 * refused by the dependency (credentials, permissions, statements) at most once per 10 s, saying what to check.
 */
public final class BlamedFailures {

  private static final Logger LOG = LoggerFactory.getLogger(BlamedFailures.class);

  private final String dependency;
  private final String check;
  private final LogThrottle configurationLog = new LogThrottle(LogThrottle.DEFAULT_WINDOW_NANOS);

  /**
   * @param dependency names the dependency in logs
   * @param check      what an operator should check when it refuses the node's configuration
   */
  public BlamedFailures(String dependency, String check) {
    this.dependency = dependency;
    this.check = check;
  }

  /** The failure to answer for {@code cause}, blamed on {@code blame}; {@code where} prefixes its message. */
  public ReplyException coded(Blame blame, String where, Throwable cause) {
    if (blame == Blame.CONFIGURATION) {
      configurationLog.occurred(suppressed -> LOG.error("{} refuses the node's configuration (check {}): {}{}",
        dependency, check, cause.toString(), suppressed == 0 ? "" : " (and " + suppressed + " more)"));
    }
    return blame.failure(where, cause);
  }
}
