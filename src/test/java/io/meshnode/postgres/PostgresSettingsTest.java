package io.meshnode.postgres;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresSettingsTest {

  @Test
  void shouldPipelineEightStatementsPerConnectionByDefault() {
    assertThat(PostgresSettings.connectOptions(new JsonObject()).getPipeliningLimit())
      .isEqualTo(PostgresSettings.DEFAULT_PIPELINING_LIMIT).isEqualTo(8);
  }

  @Test
  void shouldRunOneStatementAtATimeWhenThePipeliningLimitIsOne() {
    assertThat(PostgresSettings.connectOptions(new JsonObject().put("pipelining_limit", 1)).getPipeliningLimit())
      .isEqualTo(1);
  }

  @Test
  void shouldRefuseAPipeliningLimitBelowOne() {
    assertThatThrownBy(() -> PostgresSettings.connectOptions(new JsonObject().put("pipelining_limit", 0)))
      .hasMessageContaining("pipelining_limit");
  }

  @Test
  void shouldHandTheClientAsManyStatementsAsItsConnectionsPipelineAndLeaveItNoTimerPerStatement() {
    JsonObject config = new JsonObject().put("pool_size", 4).put("pipelining_limit", 3);

    assertThat(PostgresSettings.statementsInFlight(config)).isEqualTo(12);
    assertThat(PostgresSettings.statementsInFlight(new JsonObject())).isEqualTo(64);
    assertThat(PostgresSettings.poolOptions(config).getConnectionTimeout()).isZero();
    assertThat(PostgresSettings.connectionTimeoutMillis(new JsonObject())).isEqualTo(10_000);
  }
}
