package io.meshnode.bootstrap;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Map;

/**
 * The clustered event bus over TLS: every node's event-bus server and its connections to the other nodes use the
 * PKCS12 key store of {@code cluster.tls}, and a node accepts only connections that present a certificate of its
 * trust store (client authentication required), so only nodes holding the cluster's certificate reach its handlers.
 * Off by default. Hazelcast's membership traffic is not covered (README, "Clustered deployment").
 *
 * <p>{@code cluster.tls} of {@code application.yaml} is read here, before Vert.x exists, because the event-bus options
 * are needed to build it: {@code enabled} [false] ({@value #ENABLED}), {@code key_store} ({@value #KEY_STORE}),
 * {@code trust_store} [the key store] ({@value #TRUST_STORE}); a key's {@link EnvironmentRule} variable
 * ({@code MESH_CLUSTER__TLS__ENABLED}, …) overrides it, and the alias in parentheses overrides both. The password
 * comes only from {@value #PASSWORD} (the trust store's from {@value #TRUST_STORE_PASSWORD}, by default the same) and
 * is never part of a message. A store that is missing, unreadable, not PKCS12, or opened with a wrong password stops
 * start-up with a message naming the file.
 */
public final class ClusterTls {

  /** {@code true} or {@code false}: overrides {@code cluster.tls.enabled}. */
  public static final String ENABLED = "MESH_CLUSTER_TLS";
  /** Overrides {@code cluster.tls.key_store}: the PKCS12 file with this node's key and certificate. */
  public static final String KEY_STORE = "MESH_CLUSTER_TLS_KEYSTORE";
  /** Overrides {@code cluster.tls.trust_store}: the PKCS12 file with the certificates a node accepts. */
  public static final String TRUST_STORE = "MESH_CLUSTER_TLS_TRUSTSTORE";
  /** The key store password (and the trust store's unless {@value #TRUST_STORE_PASSWORD} is set). */
  public static final String PASSWORD = "MESH_CLUSTER_TLS_PASSWORD";
  /** The trust store password, when it differs from the key store's. */
  public static final String TRUST_STORE_PASSWORD = "MESH_CLUSTER_TLS_TRUSTSTORE_PASSWORD";

  private static final String CLUSTER = "cluster";
  private static final String TLS = "tls";
  private static final String SECTION = CLUSTER + "." + TLS;

  private ClusterTls() {
  }

  /**
   * {@code options} with SSL, the stores and required client authentication when TLS is on in
   * {@code applicationYaml} (absent: off unless the environment turns it on) or {@code environment}; unchanged when
   * off. Throws {@link IllegalArgumentException} naming the setting or file at fault, never the password.
   */
  static EventBusOptions configure(EventBusOptions options, Path applicationYaml, Map<String, String> environment) {
    JsonObject conf = section(applicationYaml, environment);
    if (!enabled(conf, environment)) {
      return options;
    }
    String keyStore = setting(conf, "key_store", environment, KEY_STORE);
    if (keyStore == null) {
      throw new IllegalArgumentException("cluster TLS is on but names no key store: set " + SECTION
        + ".key_store in " + applicationYaml + " or " + KEY_STORE);
    }
    String trustStore = setting(conf, "trust_store", environment, TRUST_STORE);
    String password = environment.get(PASSWORD);
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("cluster TLS is on but " + PASSWORD + " is not set: the key store password "
        + "comes only from the environment");
    }
    String trustPassword = environment.getOrDefault(TRUST_STORE_PASSWORD, password);
    PfxOptions key = store(Path.of(keyStore), password, PASSWORD, true);
    PfxOptions trust = trustStore == null ? key : store(Path.of(trustStore), trustPassword,
      environment.containsKey(TRUST_STORE_PASSWORD) ? TRUST_STORE_PASSWORD : PASSWORD, false);
    return options.setSsl(true).setKeyCertOptions(key).setTrustOptions(trust).setTrustAll(false)
      .setClientAuth(ClientAuth.REQUIRED);
  }

  /**
   * {@code cluster.tls} of {@code applicationYaml} (empty when the file is absent), checked as {@link ConfigLoader}
   * checks the file, with the {@link EnvironmentRule} variables of the {@code cluster} section on top.
   */
  static JsonObject section(Path applicationYaml, Map<String, String> environment) {
    if (!Files.exists(applicationYaml)) {
      return new JsonObject();
    }
    JsonObject yaml;
    try (InputStream in = Files.newInputStream(applicationYaml)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      @SuppressWarnings("unchecked")
      Map<String, Object> map = root instanceof Map<?, ?> m ? (Map<String, Object>) m : Collections.emptyMap();
      yaml = new JsonObject(map);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read config " + applicationYaml + ": " + e.getMessage(), e);
    }
    ConfigLoader.rejectPasswords(yaml, applicationYaml.toString());
    UnknownKeys.check(ConfigLoader.SOURCE, "", yaml, ConfigSchema.APPLICATION);
    EnvironmentRule.apply(yaml, ConfigSchema.APPLICATION, environment,
      section -> EnvironmentRule.level(CLUSTER).equalsIgnoreCase(section));
    return yaml.getJsonObject(CLUSTER, new JsonObject()).getJsonObject(TLS, new JsonObject());
  }

  private static boolean enabled(JsonObject conf, Map<String, String> environment) {
    String raw = environment.get(ENABLED);
    if (raw == null || raw.isBlank()) {
      Object value = conf.getValue("enabled", false);
      if (value instanceof Boolean on) {
        return on;
      }
      throw new IllegalArgumentException("invalid config " + SECTION + ".enabled: must be true or false, got '"
        + value + "'");
    }
    return switch (raw.trim().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("invalid environment " + ENABLED + ": must be true or false, got '"
        + raw + "'");
    };
  }

  private static String setting(JsonObject conf, String key, Map<String, String> environment, String variable) {
    String value = environment.get(variable);
    if (value == null || value.isBlank()) {
      value = conf.getString(key);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Opens the store now, so that a bad file or password is reported by name here rather than by Netty later. */
  private static PfxOptions store(Path file, String password, String passwordVariable, boolean needsKey) {
    String role = needsKey ? "key store" : "trust store";
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("cluster TLS " + role + " " + file.toAbsolutePath()
        + " does not exist or is not a readable file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      if (store.size() == 0 || needsKey && Collections.list(store.aliases()).stream().noneMatch(alias -> isKey(store,
        alias))) {
        throw new IllegalArgumentException("cluster TLS " + role + " " + file.toAbsolutePath() + " holds no "
          + (needsKey ? "private key" : "certificate"));
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot open cluster TLS " + role + " " + file.toAbsolutePath() + " with "
        + passwordVariable + ": wrong password, or not a PKCS12 file", e);
    }
    return new PfxOptions().setPath(file.toString()).setPassword(password);
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
