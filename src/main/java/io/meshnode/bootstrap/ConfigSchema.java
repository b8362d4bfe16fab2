package io.meshnode.bootstrap;

import io.meshnode.bootstrap.ConfigShape.ListOf;
import io.meshnode.bootstrap.ConfigShape.Named;
import io.meshnode.bootstrap.ConfigShape.Properties;
import io.meshnode.bootstrap.ConfigShape.Section;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.meshnode.bootstrap.ConfigShape.Scalar.BOOLEAN;
import static io.meshnode.bootstrap.ConfigShape.Scalar.INTEGER;
import static io.meshnode.bootstrap.ConfigShape.Scalar.NUMBER;
import static io.meshnode.bootstrap.ConfigShape.Scalar.STRING;

/**
 * Every key the node reads, declared once: {@code conf/application.yaml}, {@code conf/resilience.yaml} (under
 * {@code resilience}) and {@code verticles.json}. A key not declared here stops start-up ({@link UnknownKeys}), and
 * every key declared here can be set from the environment ({@link EnvironmentRule}). {@code kafka.producer} and
 * {@code kafka.consumer} take kafka-clients' own property names, from the library's list.
 */
final class ConfigSchema {

  private record Key(String name, ConfigShape shape) {
  }

  private static final ListOf STRINGS = new ListOf(STRING);

  private static final Section BREAKER = section(
    key("failure_threshold", INTEGER), key("success_threshold", INTEGER), key("timeout", NUMBER));

  private static final Section SUBSCRIPTION = section(
    key("name", STRING), key("topic", STRING), key("pattern", STRING), key("group", STRING), key("address", STRING),
    key("concurrency", INTEGER), key("max_in_flight", INTEGER), key("retry", STRING),
    key("dead_letter_topic", STRING), key("breaker", BREAKER));

  /** {@code conf/application.yaml}. */
  static final Section APPLICATION = section(
    key("web", section(key("host", STRING), key("port", INTEGER))),
    key("cluster", section(
      key("announce_interval_ms", INTEGER), key("expiry_ms", INTEGER), key("drain_grace_ms", INTEGER),
      key("tls", section(key("enabled", BOOLEAN), key("key_store", STRING), key("trust_store", STRING))))),
    key("kafka", section(
      key("bootstrap_servers", STRING), key("topics", STRINGS), key("restrict_topics", BOOLEAN),
      key("queue_path", STRING), key("queue_max_messages", INTEGER), key("replay_interval_ms", INTEGER),
      key("replay_batch", INTEGER), key("probe_interval_ms", INTEGER),
      key("producer", new Properties("kafka-clients producer property", ProducerConfig.configNames())),
      key("consumer", new Properties("kafka-clients consumer property", ConsumerConfig.configNames())),
      key("subscriptions", new ListOf(SUBSCRIPTION)))),
    key("postgres", section(
      key("host", STRING), key("port", INTEGER), key("database", STRING), key("user", STRING),
      key("password", STRING), key("application_name", STRING), key("pool_size", INTEGER),
      key("pipelining_limit", INTEGER), key("max_wait_queue", INTEGER), key("connection_timeout_ms", INTEGER),
      key("probe_interval_ms", INTEGER), key("init_schema", BOOLEAN), key("schema", STRINGS),
      key("statements", new Named(section(key("sql", STRING), key("mode", STRING)))))),
    key("redis", section(
      key("url", STRING), key("password", STRING), key("pipelined_connections", INTEGER),
      key("max_waiting_handlers", INTEGER), key("max_pool_size", INTEGER), key("max_pool_waiting", INTEGER),
      key("probe_interval_ms", INTEGER))),
    key("limits", section(key("max_value_bytes", INTEGER), key("max_key_length", INTEGER))));

  /** {@code conf/resilience.yaml}, found under {@value #RESILIENCE_KEY} in the loaded config. */
  static final Section RESILIENCE = section(
    key("circuit_breakers", new Named(BREAKER)),
    key("retry_policies", new Named(section(
      key("max_retries", INTEGER), key("initial_delay", NUMBER), key("backoff_factor", NUMBER),
      key("max_delay", NUMBER), key("jitter", NUMBER)))),
    key("timeouts", new Named(NUMBER)),
    key("fallback_strategies", new Named(section(
      key("primary", STRING), key("fallback", STRING), key("description", STRING), key("max_entries", INTEGER),
      key("read_ttl_seconds", NUMBER)))),
    key("routes", new Named(section(
      key("operation", STRING), key("breaker", STRING), key("retry", STRING), key("timeout", STRING),
      key("fallback", STRING)))));

  /** The key {@code conf/resilience.yaml} is loaded under. */
  static final String RESILIENCE_KEY = "resilience";

  /** The whole loaded config: {@link #APPLICATION} with {@link #RESILIENCE} under {@value #RESILIENCE_KEY}. */
  static final Section NODE = withKey(APPLICATION, RESILIENCE_KEY, RESILIENCE);

  /** {@code verticles.json} ({@link DeploymentPlan}). */
  static final Section VERTICLES = section(
    key("verticles", new ListOf(section(
      key("name", STRING), key("class", STRING), key("colocate", STRINGS), key("instances", INTEGER),
      key("threadingModel", STRING), key("config", STRINGS)))),
    key("profiles", new Named(STRINGS)));

  private ConfigSchema() {
  }

  private static Key key(String name, ConfigShape shape) {
    return new Key(name, shape);
  }

  private static Section section(Key... keys) {
    Map<String, ConfigShape> map = new LinkedHashMap<>();
    for (Key key : keys) {
      map.put(key.name(), key.shape());
    }
    return new Section(map);
  }

  private static Section withKey(Section section, String name, ConfigShape shape) {
    Map<String, ConfigShape> map = new LinkedHashMap<>(section.keys());
    map.put(name, shape);
    return new Section(map);
  }
}
