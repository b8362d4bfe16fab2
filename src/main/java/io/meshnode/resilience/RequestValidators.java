package io.meshnode.resilience;

import io.meshnode.postgres.StatementCatalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.stream.Collectors;

/** Builds the {@link RequestValidator} from the node's {@code limits} and {@code kafka.topics} config. */
final class RequestValidators {

  private RequestValidators() {
  }

  static RequestValidator fromConfig(JsonObject config, StatementCatalog statements) {
    JsonObject limits = config.getJsonObject("limits", new JsonObject());
    JsonObject kafka = config.getJsonObject("kafka", new JsonObject());
    Object topics = kafka.getValue("topics");
    Set<String> allowed = Set.of();
    if (topics instanceof JsonArray array && kafka.getBoolean("restrict_topics", false)) {
      allowed = array.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
    }
    return new RequestValidator(statements, allowed,
      ConfigValues.positiveInt(limits, "limits", "max_value_bytes", RequestValidator.DEFAULT_MAX_VALUE_BYTES),
      ConfigValues.positiveInt(limits, "limits", "max_key_length", RequestValidator.DEFAULT_MAX_KEY_LENGTH));
  }
}
