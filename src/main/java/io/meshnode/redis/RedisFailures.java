package io.meshnode.redis;

import io.meshnode.contract.Blame;
import io.vertx.redis.client.impl.types.ErrorType;

import java.util.Set;

/**
 * Whose fault a failed Redis command is, from vertx-redis-client's {@link ErrorType} and the error reply's code (its
 * first word, which Redis defines as the error's kind): never from message text.
 *
 * <ul>
 *   <li>an error reply describes the request ({@code WRONGTYPE}, {@code ERR …}: {@link Blame#CALLER}), except the
 *       codes saying the server cannot serve now ({@link #NOT_NOW}: {@link Blame#DEPENDENCY}) and those saying the
 *       node is not allowed to ({@link #NOT_ALLOWED}: {@link Blame#CONFIGURATION});</li>
 *   <li>a connection that could not be opened ({@link HandshakeFailure}) is the dependency's, unless Redis refused
 *       the node's credentials ({@link #NOT_ALLOWED});</li>
 *   <li>anything else (connection refused or lost, timeouts, a full command queue) is the dependency's.</li>
 * </ul>
 */
final class RedisFailures {

  /** Error codes by which Redis says it cannot serve now: loading, busy script, no master, cluster down, full… */
  static final Set<String> NOT_NOW = Set.of("LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "READONLY",
    "OOM", "NOREPLICAS", "MISCONF", "UNBLOCKED");
  /** Error codes by which Redis refuses the node's credentials or permissions. */
  static final Set<String> NOT_ALLOWED = Set.of("NOAUTH", "NOPERM", "WRONGPASS");

  private RedisFailures() {
  }

  /** Whose fault {@code failure} of a command is. */
  static Blame blame(Throwable failure) {
    if (failure instanceof HandshakeFailure handshake) {
      return handshake.getCause() instanceof ErrorType error && NOT_ALLOWED.contains(code(error))
        ? Blame.CONFIGURATION : Blame.DEPENDENCY;
    }
    if (failure instanceof ErrorType error) {
      String code = code(error);
      if (NOT_NOW.contains(code)) {
        return Blame.DEPENDENCY;
      }
      return NOT_ALLOWED.contains(code) ? Blame.CONFIGURATION : Blame.CALLER;
    }
    return Blame.DEPENDENCY;
  }

  /** The error reply's code: its first word, as Redis' protocol defines it. */
  static String code(ErrorType error) {
    String code = error.slice(' ', 0);
    return code == null ? "" : code;
  }

  /** A connection to Redis could not be opened (connect, or its AUTH/HELLO/SELECT handshake, failed). */
  static final class HandshakeFailure extends RuntimeException {
    HandshakeFailure(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
