package io.meshnode.postgres;

import io.meshnode.contract.Blame;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL classification table of the README, row by row, on vertx-pg-client's own exception type. */
class PostgresFailuresTest {

  private static PgException state(String sqlState) {
    return new PgException("refused", "ERROR", sqlState, null);
  }

  @Test
  @DisplayName("the data sent is the caller's: classes 21, 22, 23, 27, 44, 54, P0 and 42804")
  void shouldBlameTheCallerForTheDataSent() {
    for (String code : new String[] {"21000", "22001", "22003", "22P02", "22008", "23505", "23503", "23502", "23514",
      "27000", "44000", "54000", "P0001", "42804"}) {
      assertThat(PostgresFailures.blame(state(code))).as(code).isEqualTo(Blame.CALLER);
    }
  }

  @Test
  @DisplayName("the node's statements, credentials and database are its configuration")
  void shouldBlameTheConfigurationForStatementsAndCredentials() {
    for (String code : new String[] {"42601", "42P01", "42703", "42883", "42501", "28P01", "28000", "3D000", "3F000",
      "0A000", "26000", "34000"}) {
      assertThat(PostgresFailures.blame(state(code))).as(code).isEqualTo(Blame.CONFIGURATION);
    }
  }

  @Test
  @DisplayName("connections, standbys, conflicts, resources, shutdowns and server errors are the dependency's")
  void shouldBlameTheDependencyForTheRest() {
    for (String code : new String[] {"08006", "08001", "25006", "40001", "40P01", "53300", "53100", "55P03", "57P01",
      "57014", "58030", "XX000", "F0000", "HV000"}) {
      assertThat(PostgresFailures.blame(state(code))).as(code).isEqualTo(Blame.DEPENDENCY);
    }
    for (Throwable failure : new Throwable[] {new ConnectException("Connection refused"),
      ClosedConnectionException.INSTANCE, new VertxException("Connection not open CLOSED"), state(null), state("2")}) {
      assertThat(PostgresFailures.blame(failure)).as(failure.toString()).isEqualTo(Blame.DEPENDENCY);
    }
  }
}
