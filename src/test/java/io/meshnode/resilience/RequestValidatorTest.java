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
  @DisplayName("a valid request is handed on as it is, not copied")
  void shouldHandOnAValidRequest() {
    JsonObject query = new JsonObject().put(MeshField.QUERY, "by_id").put(MeshField.PARAMS, new JsonArray().add(7));
    JsonObject get = new JsonObject().put(MeshField.KEY, "k");
    JsonObject set = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v");

    assertThat(VALIDATOR.validate(MeshAddress.PG_QUERY, query)).isSameAs(query);
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_GET, get)).isSameAs(get);
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_DEL, get)).isSameAs(get);
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_SET, set)).isSameAs(set);
  }

  @Test
  @DisplayName("a publish is handed on with a fresh message id added and a JSON value encoded")
  void shouldHandOnAPublishWithItsMessageId() {
    JsonObject publish = new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.KEY, "k").put(MeshField.VALUE, "v")
      .put(MeshField.HEADERS, new JsonObject().put("h", "1"));
    JsonObject jsonValue = new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.VALUE, new JsonObject().put("a", 1));

    JsonObject internal = VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, publish);
    String id = internal.getString(MeshField.ID);
    JsonObject encoded = VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, jsonValue);

    assertThat(internal).isSameAs(publish);
    assertThat(id).isNotBlank();
    assertThat(encoded.getString(MeshField.ID)).isNotBlank().isNotEqualTo(id);
    assertThat(encoded.getString(MeshField.VALUE)).isEqualTo("{\"a\":1}");
  }

  @Test
  @DisplayName("a field the address does not define is a 400 naming it and the address's fields")
  void shouldRejectFieldsTheAddressDoesNotDefine() {
    Object[][] cases = {
      {MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v").put("ttl", 60), "ttl"},
      {MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v"), "value"},
      {MeshAddress.REDIS_DEL, new JsonObject().put(MeshField.KEY, "k").putNull("keys"), "keys"},
      {MeshAddress.PG_QUERY, new JsonObject().put(MeshField.QUERY, "all").put("extra", true), "extra"},
      {MeshAddress.KAFKA_PUBLISH, new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.VALUE, "v")
        .put(MeshField.ID, "mine"), "id"},
    };
    for (Object[] c : cases) {
      ReplyException rejected = catchThrowableOfType(ReplyException.class,
        () -> VALIDATOR.validate((String) c[0], c[1]));
      assertThat(rejected.failureCode()).as("%s", c[1]).isEqualTo(MeshFailure.BAD_REQUEST);
      assertThat(rejected.getMessage()).as("%s", c[1]).contains("'" + c[2] + "'").contains("is not defined for "
        + c[0]);
    }
  }

  @Test
  @DisplayName("a TTL becomes a whole number of seconds, and is a 400 beyond what the node can keep")
  void shouldNormaliseAndBoundTheTtl() {
    JsonObject set = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v").put(MeshField.TTL_SECONDS, 60.0);
    JsonObject longest = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v")
      .put(MeshField.TTL_SECONDS, RequestValidator.MAX_TTL_SECONDS);

    assertThat(VALIDATOR.validate(MeshAddress.REDIS_SET, set).getValue(MeshField.TTL_SECONDS)).isEqualTo(60L);
    assertThat(VALIDATOR.validate(MeshAddress.REDIS_SET, longest).getLong(MeshField.TTL_SECONDS))
      .isEqualTo(RequestValidator.MAX_TTL_SECONDS);
    for (Object ttl : new Object[] {RequestValidator.MAX_TTL_SECONDS + 1, 4_000_000_000_000_000L, Long.MAX_VALUE, 1e300}) {
      ReplyException rejected = catchThrowableOfType(ReplyException.class, () -> VALIDATOR.validate(
        MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v")
          .put(MeshField.TTL_SECONDS, ttl)));
      assertThat(rejected.failureCode()).as("%s", ttl).isEqualTo(MeshFailure.BAD_REQUEST);
      assertThat(rejected.getMessage()).as("%s", ttl).contains(MeshField.TTL_SECONDS);
    }
  }

  @Test
  @DisplayName("topics Kafka never accepts are a 400: '.', '..' and its internal __ topics")
  void shouldRejectTopicsKafkaNeverAccepts() {
    for (String topic : new String[] {".", "..", "__consumer_offsets", "__transaction_state", "__mine"}) {
      ReplyException rejected = catchThrowableOfType(ReplyException.class, () -> VALIDATOR.validate(
        MeshAddress.KAFKA_PUBLISH, new JsonObject().put(MeshField.TOPIC, topic).put(MeshField.VALUE, "v")));
      assertThat(rejected.failureCode()).as(topic).isEqualTo(MeshFailure.BAD_REQUEST);
      assertThat(rejected.getMessage()).as(topic).contains(MeshField.TOPIC);
    }
    assertThat(VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH,
      new JsonObject().put(MeshField.TOPIC, "...").put(MeshField.VALUE, "v"))).isNotNull();
  }

  @Test
  @DisplayName("a publish's key and header values are bounded like its value")
  void shouldBoundKeyAndHeaders() {
    String big = "x".repeat(RequestValidator.DEFAULT_MAX_VALUE_BYTES + 1);
    JsonObject bigKey = new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.VALUE, "v").put(MeshField.KEY, big);
    JsonObject bigHeader = new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.VALUE, "v")
      .put(MeshField.HEADERS, new JsonObject().put("h", big));

    assertThat(catchThrowableOfType(ReplyException.class, () -> VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, bigKey))
      .getMessage()).contains("'key'");
    assertThat(catchThrowableOfType(ReplyException.class,
      () -> VALIDATOR.validate(MeshAddress.KAFKA_PUBLISH, bigHeader)).getMessage()).contains("'headers.h'");
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
