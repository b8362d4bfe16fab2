package io.meshnode.resilience;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.postgres.StatementCatalog;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestValidatorTest {

  private static final StatementCatalog STATEMENTS = StatementCatalog.fromJson(new JsonObject().put("statements",
    new JsonObject()
      .put("by_id", new JsonObject().put("sql", "SELECT * FROM t WHERE id = $1"))
      .put("all", new JsonObject().put("sql", "SELECT * FROM t"))));
  private static final RequestValidator VALIDATOR = new RequestValidator(STATEMENTS, Set.of(),
    RequestValidator.DEFAULT_MAX_VALUE_BYTES, RequestValidator.DEFAULT_MAX_KEY_LENGTH);

  @Test
  @DisplayName("a request holding only the fields its operation reads is handed on as it is, not copied")
  void shouldHandOnARequestThatHoldsOnlyItsFields() {
    JsonObject query = new JsonObject().put(MeshField.QUERY, "by_id").put(MeshField.PARAMS, new JsonArray().add(7));
    JsonObject get = new JsonObject().put(MeshField.KEY, "k");
    JsonObject set = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v");

    assertThat(VALIDATOR.validate(MeshAddress.PG_QUERY, query)).isSameAs(query);
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_GET, get)).isSameAs(get);
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_DEL, get)).isSameAs(get);
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_SET, set)).isSameAs(set);
  }

  @Test
  @DisplayName("a publish holding only topic, key, value and headers is handed on with a fresh message id added")
  void shouldHandOnAPublishWithItsMessageId() {
    JsonObject publish = new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.KEY, "k").put(MeshField.VALUE, "v")
      .put(MeshField.HEADERS, new JsonObject().put("h", "1"));

    JsonObject internal = VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, publish);
    String id = internal.getString(MeshField.ID);
    JsonObject again = VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, new JsonObject().put(MeshField.TOPIC, "t")
      .put(MeshField.VALUE, "v"));

    assertThat(internal).isSameAs(publish);
    assertThat(id).isNotBlank();
    assertThat(again.getString(MeshField.ID)).isNotBlank().isNotEqualTo(id);
  }

  @Test
  @DisplayName("a publish with other fields or a JSON value becomes a new request: the value encoded, the id fresh")
  void shouldRebuildAPublishItCannotHandOn() {
    JsonObject withId = new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.VALUE, "v").put(MeshField.ID, "mine");
    JsonObject jsonValue = new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.VALUE, new JsonObject().put("a", 1));

    JsonObject fromWithId = VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, withId);
    JsonObject fromJsonValue = VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, jsonValue);

    assertThat(fromWithId).isNotSameAs(withId);
    assertThat(fromWithId.getString(MeshField.ID)).isNotEqualTo("mine");
    assertThat(fromJsonValue.getString(MeshField.VALUE)).isEqualTo("{\"a\":1}");
    assertThat(fromJsonValue.fieldNames()).containsExactlyInAnyOrder(MeshField.ID, MeshField.TOPIC, MeshField.KEY,
      MeshField.VALUE);
  }

  @Test
  @DisplayName("any other valid request becomes a new one with only the fields its operation reads")
  void shouldDropFieldsTheOperationDoesNotRead() {
    JsonObject query = new JsonObject().put(MeshField.QUERY, "by_id").put(MeshField.PARAMS, new JsonArray().add(7))
      .put("extra", true);
    JsonObject get = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "ignored");

    assertThat(VALIDATOR.validate(MeshAddress.PG_QUERY, query)).isEqualTo(new JsonObject()
      .put(MeshField.QUERY, "by_id").put(MeshField.PARAMS, new JsonArray().add(7)));
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_GET, get)).isEqualTo(new JsonObject().put(MeshField.KEY, "k"));
  }

  @Test
  @DisplayName("absent parameters become an empty array; a TTL becomes a whole number of seconds")
  void shouldNormaliseWhatItDoesNotHandOn() {
    JsonObject query = new JsonObject().put(MeshField.QUERY, "all");
    JsonObject set = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v").put(MeshField.TTL_SECONDS, 60.0);

    assertThat(VALIDATOR.validate(MeshAddress.PG_QUERY, query))
      .isEqualTo(new JsonObject().put(MeshField.QUERY, "all").put(MeshField.PARAMS, new JsonArray()));
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_SET, set).getValue(MeshField.TTL_SECONDS)).isEqualTo(60L);
  }

  @Test
  @DisplayName("parameters sent as null, or of the wrong count, are a 400 naming the field")
  void shouldRejectNullOrMiscountedParameters() {
    JsonObject nullParams = new JsonObject().put(MeshField.QUERY, "by_id").putNull(MeshField.PARAMS);
    JsonObject noParams = new JsonObject().put(MeshField.QUERY, "by_id").put(MeshField.PARAMS, new JsonArray());

    for (JsonObject bad : new JsonObject[] {nullParams, noParams}) {
      ReplyException rejected = catchThrowableOfType(ReplyException.class,
        () -> VALIDATOR.validate(MeshAddress.PG_QUERY, bad));
      assertThat(rejected.failureCode()).as(bad.encode()).isEqualTo(MeshFailure.BAD_REQUEST);
      assertThat(rejected.getMessage()).as(bad.encode()).contains(MeshField.PARAMS);
    }
  }

  @Test
  @DisplayName("a topic name is accepted exactly when Kafka's rule [a-zA-Z0-9._-]{1,249} accepts it")
  void shouldAcceptTopicNamesByKafkasRule() {
    Pattern kafkasRule = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    String[] names = {"events", "a", "A.b_c-9", "x".repeat(249), "x".repeat(250), "", "with space", "ümlaut",
      "slash/ed", "tab\t", "colon:", "emoji\uD83D\uDE00", "..", "__consumer_offsets", "Z", "0", "a+b"};
    for (String name : names) {
      assertThat(RequestValidator.isTopicName(name)).as(name).isEqualTo(kafkasRule.matcher(name).matches());
    }
    for (char c = 0; c < 256; c++) {
      String name = "t" + c;
      assertThat(RequestValidator.isTopicName(name)).as("char %d", (int) c)
        .isEqualTo(kafkasRule.matcher(name).matches());
    }
  }

  @Test
  @DisplayName("a publish to a badly named topic is a 400 naming the field")
  void shouldRejectABadTopicName() {
    JsonObject publish = new JsonObject().put(MeshField.TOPIC, "no spaces").put(MeshField.VALUE, "v");

    ReplyException rejected = catchThrowableOfType(ReplyException.class,
      () -> VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, publish));

    assertThat(rejected.failureCode()).isEqualTo(MeshFailure.BAD_REQUEST);
    assertThat(rejected.getMessage()).contains(MeshField.TOPIC);
  }
}
