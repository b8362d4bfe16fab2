package io.meshnode.postgres;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import static io.meshnode.postgres.StatementParameters.BOOL;
import static io.meshnode.postgres.StatementParameters.DATE;
import static io.meshnode.postgres.StatementParameters.FLOAT8;
import static io.meshnode.postgres.StatementParameters.INT2;
import static io.meshnode.postgres.StatementParameters.INT4;
import static io.meshnode.postgres.StatementParameters.INT8;
import static io.meshnode.postgres.StatementParameters.JSONB;
import static io.meshnode.postgres.StatementParameters.NUMERIC;
import static io.meshnode.postgres.StatementParameters.TEXT;
import static io.meshnode.postgres.StatementParameters.TIMESTAMPTZ;
import static io.meshnode.postgres.StatementParameters.UUID_OID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StatementParametersTest {

  private static ReplyException refusal(int oid, Object value) {
    return catchThrowableOfType(ReplyException.class,
      () -> StatementParameters.bind(new int[] {TEXT, oid}, new JsonArray().add("first").add(value)));
  }

  @Test
  @DisplayName("JSON values are bound as the types the statement declares")
  void shouldBindValuesToTheStatementsTypes() {
    String uuid = UUID.randomUUID().toString();
    Tuple tuple = StatementParameters.bind(new int[] {TEXT, INT4, INT8, INT2, FLOAT8, BOOL, NUMERIC, UUID_OID, DATE,
      TIMESTAMPTZ, JSONB, INT4}, new JsonArray().add("k").add(7).add(9_000_000_000L).add(3.0).add(1).add(true)
      .add(12.5).add(uuid).add("2026-12-07").add("2026-12-07T10:00:00Z").add("j").addNull());

    assertThat(tuple.getValue(0)).isEqualTo("k");
    assertThat(tuple.getValue(1)).isEqualTo(7);
    assertThat(tuple.getValue(2)).isEqualTo(9_000_000_000L);
    assertThat(tuple.getValue(3)).isEqualTo((short) 3);
    assertThat(tuple.getValue(4)).isEqualTo(1.0);
    assertThat(tuple.getValue(5)).isEqualTo(true);
    assertThat(tuple.getValue(6)).isEqualTo(Numeric.create(12.5));
    assertThat(tuple.getValue(7)).isEqualTo(UUID.fromString(uuid));
    assertThat(tuple.getValue(8)).isEqualTo(LocalDate.of(2026, 12, 7));
    assertThat(tuple.getValue(9)).isEqualTo(OffsetDateTime.parse("2026-12-07T10:00:00Z"));
    assertThat(tuple.getValue(10)).isEqualTo("j");
    assertThat(tuple.getValue(11)).isNull();
  }

  @Test
  @DisplayName("a value that does not fit its parameter's type is a 400 naming params[i]")
  void shouldRefuseValuesThatDoNotFit() {
    Object[][] cases = {{INT4, "ten"}, {INT4, 7.5}, {INT4, 1L << 40}, {INT2, 40_000}, {INT8, new BigInteger("9".repeat(30))},
      {INT8, new BigDecimal("1e30")}, {TEXT, 1}, {TEXT, true}, {BOOL, "yes"}, {FLOAT8, "1.5"}, {NUMERIC, "12"},
      {UUID_OID, "not-a-uuid"}, {DATE, "07/12/2026"}, {TIMESTAMPTZ, "2026-12-07 10:00"}, {600, "(1,2)"}};
    for (Object[] c : cases) {
      ReplyException refused = refusal((int) c[0], c[1]);
      assertThat(refused).as("oid %s value %s", c[0], c[1]).isNotNull();
      assertThat(refused.failureCode()).isEqualTo(MeshFailure.BAD_REQUEST);
      assertThat(refused.getMessage()).as("oid %s value %s", c[0], c[1]).contains("'params[1]'");
    }
  }
}
