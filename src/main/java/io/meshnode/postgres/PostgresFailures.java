package io.meshnode.postgres;

import io.meshnode.contract.Blame;
import io.vertx.pgclient.PgException;

import java.util.Map;

/**
 * Whose fault a failed statement is, from the SQLSTATE of vertx-pg-client's {@link PgException} (its class, the first
 * two characters, and a few codes): never from message text. Parameters are checked against the statement's types
 * before it is sent ({@link StatementParameters}), so what the client would refuse to encode never reaches it.
 *
 * <ul>
 *   <li>{@link Blame#CALLER}: the data sent — 21 cardinality, 22 data exception, 23 integrity constraint, 27
 *       triggered data change, 44 with check option, 54 program limit (a value too large to index), P0 raised by a
 *       function, and 42804 datatype mismatch;</li>
 *   <li>{@link Blame#CONFIGURATION}: the node's statements, credentials or database — 0A feature not supported, 26
 *       and 34 invalid names, 28 authorization, 3D catalog, 3F schema, 42 syntax or access rule (undefined table,
 *       insufficient privilege);</li>
 *   <li>{@link Blame#DEPENDENCY}: everything else — 08 connection, 25 read-only (a standby), 40 serialization or
 *       deadlock, 53 resources, 55 lock not available, 57 shutdown or cancel, 58 and XX server errors, and every
 *       failure that is not a {@code PgException} (connection refused or lost).</li>
 * </ul>
 */
final class PostgresFailures {

  /** By SQLSTATE class; a class not listed is the dependency's. */
  static final Map<String, Blame> BY_CLASS = Map.ofEntries(
    Map.entry("21", Blame.CALLER), Map.entry("22", Blame.CALLER), Map.entry("23", Blame.CALLER),
    Map.entry("27", Blame.CALLER), Map.entry("44", Blame.CALLER), Map.entry("54", Blame.CALLER),
    Map.entry("P0", Blame.CALLER),
    Map.entry("0A", Blame.CONFIGURATION), Map.entry("26", Blame.CONFIGURATION), Map.entry("28", Blame.CONFIGURATION),
    Map.entry("34", Blame.CONFIGURATION), Map.entry("3D", Blame.CONFIGURATION), Map.entry("3F", Blame.CONFIGURATION),
    Map.entry("42", Blame.CONFIGURATION));
  /** Codes whose blame differs from their class's. */
  static final Map<String, Blame> BY_CODE = Map.of("42804", Blame.CALLER);

  private PostgresFailures() {
  }

  /** Whose fault {@code failure} of a statement (or of opening a connection for it) is. */
  static Blame blame(Throwable failure) {
    if (!(failure instanceof PgException pg) || pg.getSqlState() == null || pg.getSqlState().length() != 5) {
      return Blame.DEPENDENCY;
    }
    String state = pg.getSqlState();
    Blame byCode = BY_CODE.get(state);
    return byCode != null ? byCode : BY_CLASS.getOrDefault(state.substring(0, 2), Blame.DEPENDENCY);
  }
}
