package io.meshnode.postgres;

import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Binds a request's JSON parameters to a statement's parameter types, which it learns from PostgreSQL once per
 * statement (the statement is prepared, its {@code pg_prepared_statements.parameter_types} read, and it is
 * deallocated, in one round trip). A value that does not fit its type is a 400 naming {@code params[i]}, before
 * anything is sent: integers must be whole and in the type's range, strings for {@code uuid}, {@code date},
 * {@code time}, {@code timestamp} and {@code timestamptz} must parse (ISO-8601), and a type the node cannot bind from
 * JSON is named. Null binds to any type. Not thread-safe: used from the PostgreSQL verticle's event loop.
 */
final class StatementParameters {

  /** PostgreSQL's type OIDs (pg_type.oid) the node binds. */
  static final int BOOL = 16;
  static final int NAME = 19;
  static final int INT8 = 20;
  static final int INT2 = 21;
  static final int INT4 = 23;
  static final int TEXT = 25;
  static final int JSON = 114;
  static final int FLOAT4 = 700;
  static final int FLOAT8 = 701;
  static final int UNKNOWN = 705;
  static final int BPCHAR = 1042;
  static final int VARCHAR = 1043;
  static final int DATE = 1082;
  static final int TIME = 1083;
  static final int TIMESTAMP = 1114;
  static final int TIMESTAMPTZ = 1184;
  static final int NUMERIC = 1700;
  static final int UUID_OID = 2950;
  static final int JSONB = 3802;

  private static final String DESCRIBED = "mesh_describe";

  private final SqlClient client;
  private final Map<String, int[]> known = new HashMap<>();
  private final Map<String, Future<Void>> describing = new HashMap<>();

  StatementParameters(SqlClient client) {
    this.client = client;
  }

  /**
   * The parameters bound to {@code statement}'s types, or null when they are not known yet ({@link #describe});
   * throws a 400 naming the first parameter that does not fit.
   */
  Tuple bindIfKnown(NamedStatement statement, JsonArray params) {
    if (statement.paramCount() == 0) {
      return Tuple.tuple();
    }
    int[] oids = known.get(statement.name());
    return oids == null ? null : bind(oids, params);
  }

  /** Learns {@code statement}'s parameter types from PostgreSQL (once: concurrent calls share the round trip). */
  Future<Void> describe(NamedStatement statement) {
    String name = statement.name();
    Future<Void> pending = describing.get(name);
    if (pending != null) {
      return pending;
    }
    Promise<Void> described = Promise.promise();
    describing.put(name, described.future());
    client.query("PREPARE " + DESCRIBED + " AS " + statement.sql() + "; SELECT array_to_string(parameter_types::oid[],"
        + " ',') FROM pg_prepared_statements WHERE name = '" + DESCRIBED + "'; DEALLOCATE " + DESCRIBED)
      .execute()
      .onComplete(ar -> {
        describing.remove(name);
        try {
          known.put(name, oids(ar.result().next()));
          described.complete();
        } catch (RuntimeException failedOrUnreadable) {
          described.fail(ar.failed() ? ar.cause() : failedOrUnreadable);
        }
      });
    return described.future();
  }

  /** Binds {@code params} to {@code oids}; throws a 400 naming the first parameter that does not fit. */
  static Tuple bind(int[] oids, JsonArray params) {
    Tuple tuple = Tuple.tuple();
    for (int i = 0; i < oids.length; i++) {
      Object value = params == null || i >= params.size() ? null : params.getValue(i);
      tuple.addValue(value == null ? null : convert(oids[i], value, i));
    }
    return tuple;
  }

  /** The OIDs listed by the SELECT's result. */
  private static int[] oids(RowSet<Row> selected) {
    String list = selected == null || selected.size() == 0 ? "" : selected.iterator().next().getString(0);
    return list == null || list.isEmpty() ? new int[0]
      : Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static Object convert(int oid, Object value, int index) {
    return switch (oid) {
      case BOOL -> expect(value instanceof Boolean, value, index, "a boolean");
      case INT2 -> integer(value, index, Short.MIN_VALUE, Short.MAX_VALUE).shortValue();
      case INT4 -> integer(value, index, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
      case INT8 -> integer(value, index, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
      case FLOAT4 -> number(value, index).floatValue();
      case FLOAT8 -> number(value, index).doubleValue();
      case NUMERIC -> Numeric.create(number(value, index));
      case TEXT, VARCHAR, BPCHAR, NAME, UNKNOWN -> expect(value instanceof String, value, index, "a string");
      case JSON, JSONB -> value;
      case UUID_OID -> parsed(value, index, "a UUID", UUID::fromString);
      case DATE -> parsed(value, index, "an ISO-8601 date", LocalDate::parse);
      case TIME -> parsed(value, index, "an ISO-8601 time", LocalTime::parse);
      case TIMESTAMP -> parsed(value, index, "an ISO-8601 date-time", LocalDateTime::parse);
      case TIMESTAMPTZ -> parsed(value, index, "an ISO-8601 date-time with offset", OffsetDateTime::parse);
      default -> throw refused(index, "has PostgreSQL type oid " + oid + ", which the node cannot bind from JSON");
    };
  }

  private static Object expect(boolean fits, Object value, int index, String what) {
    if (!fits) {
      throw refused(index, "must be " + what);
    }
    return value;
  }

  private static Number number(Object value, int index) {
    if (!(value instanceof Number n)) {
      throw refused(index, "must be a number");
    }
    return n;
  }

  private static Number integer(Object value, int index, long min, long max) {
    Number n = number(value, index);
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      if (n.longValue() >= min && n.longValue() <= max) {
        return n;
      }
    } else {
      try {
        long whole = (n instanceof BigDecimal d ? d : new BigDecimal(n.toString())).longValueExact();
        if (whole >= min && whole <= max) {
          return whole;
        }
      } catch (ArithmeticException notWholeOrTooLarge) {
        // refused below
      }
    }
    throw refused(index, "must be a whole number in [" + min + ", " + max + "]");
  }

  private static Object parsed(Object value, int index, String what, java.util.function.Function<String, Object> parse) {
    if (value instanceof String s) {
      try {
        return parse.apply(s);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        // refused below
      }
    }
    throw refused(index, "must be " + what);
  }

  private static ReplyException refused(int index, String problem) {
    return MeshFailure.badRequest(MeshField.PARAMS + "[" + index + "]", problem);
  }
}
