package io.meshnode.bootstrap;

import io.meshnode.support.TestCertificate;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code cluster.tls} and {@code MESH_CLUSTER_TLS*} turned into event-bus options, and every way of getting it wrong. */
class ClusterTlsTest {

  private static final Path SHIPPED_YAML = Path.of("conf", "application.yaml");
  private static final String PASSWORD = "tls-" + UUID.randomUUID();

  @TempDir
  static Path dir;
  private static Path keyStore;

  @BeforeAll
  static void createKeyStore() {
    keyStore = TestCertificate.create(dir.resolve("cluster.p12"), "mesh-cluster", PASSWORD);
  }

  private static EventBusOptions configure(Map<String, String> environment) {
    return ClusterTls.configure(new EventBusOptions(), SHIPPED_YAML, environment);
  }

  @Test
  @DisplayName("the shipped conf leaves the event bus in plain TCP")
  void shouldBeOffByDefault() {
    assertThat(configure(Map.of()).isSsl()).isFalse();
    assertThat(configure(Map.of(ClusterTls.ENABLED, "false", ClusterTls.PASSWORD, PASSWORD)).isSsl()).isFalse();
  }

  @Test
  @DisplayName("MESH_CLUSTER_TLS=true: SSL, the key store as key and trust, client certificates required")
  void shouldTurnOnFromTheEnvironment() {
    EventBusOptions options = configure(Map.of(ClusterTls.ENABLED, "true", ClusterTls.KEY_STORE, keyStore.toString(),
      ClusterTls.PASSWORD, PASSWORD));
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.isTrustAll()).isFalse();
    assertThat(((PfxOptions) options.getKeyCertOptions()).getPath()).isEqualTo(keyStore.toString());
    assertThat(((PfxOptions) options.getTrustOptions()).getPath()).isEqualTo(keyStore.toString());
    assertThat(new EventBusOptions(options.toJson()).getKeyCertOptions()).as("survives the JSON copy Vert.x makes")
      .isInstanceOf(PfxOptions.class);
  }

  @Test
  @DisplayName("cluster.tls in YAML: enabled and the stores from the file, the password from the environment")
  void shouldReadTheYamlSection() throws IOException {
    Path trustStore = TestCertificate.create(dir.resolve("trust.p12"), "mesh-ca", "other-" + PASSWORD);
    Path yaml = Files.writeString(dir.resolve("application.yaml"), "cluster:\n  tls:\n    enabled: true\n"
      + "    key_store: " + keyStore + "\n    trust_store: " + trustStore + "\n");
    EventBusOptions options = ClusterTls.configure(new EventBusOptions(), yaml, Map.of(ClusterTls.PASSWORD, PASSWORD,
      ClusterTls.TRUST_STORE_PASSWORD, "other-" + PASSWORD));
    assertThat(options.isSsl()).isTrue();
    assertThat(((PfxOptions) options.getTrustOptions()).getPath()).isEqualTo(trustStore.toString());
  }

  @Test
  @DisplayName("a missing store, a wrong password or no password stop start-up naming the file or variable, never "
    + "the password")
  void shouldRefuseMisconfiguration() {
    Path missing = dir.resolve("no-such.p12");
    assertThatThrownBy(() -> configure(Map.of(ClusterTls.ENABLED, "true", ClusterTls.KEY_STORE, missing.toString(),
      ClusterTls.PASSWORD, PASSWORD)))
      .hasMessageContaining(missing.toAbsolutePath().toString()).hasMessageContaining("does not exist")
      .hasMessageNotContaining(PASSWORD);
    String wrong = "wrong-" + PASSWORD;
    assertThatThrownBy(() -> configure(Map.of(ClusterTls.ENABLED, "true", ClusterTls.KEY_STORE, keyStore.toString(),
      ClusterTls.PASSWORD, wrong)))
      .hasMessageContaining(keyStore.toAbsolutePath().toString()).hasMessageContaining(ClusterTls.PASSWORD)
      .hasMessageContaining("wrong password").hasMessageNotContaining(wrong);
    assertThatThrownBy(() -> configure(Map.of(ClusterTls.ENABLED, "true", ClusterTls.KEY_STORE, keyStore.toString())))
      .hasMessageContaining(ClusterTls.PASSWORD + " is not set");
    assertThatThrownBy(() -> configure(Map.of(ClusterTls.ENABLED, "yes")))
      .hasMessageContaining(ClusterTls.ENABLED).hasMessageContaining("'yes'");
  }

  @Test
  @DisplayName("a store that is not PKCS12 and a password in the YAML are refused")
  void shouldRefuseBadFiles() throws IOException {
    Path notAStore = Files.writeString(dir.resolve("not-a-store.p12"), "-----BEGIN CERTIFICATE-----\n");
    assertThatThrownBy(() -> configure(Map.of(ClusterTls.ENABLED, "true", ClusterTls.KEY_STORE, notAStore.toString(),
      ClusterTls.PASSWORD, PASSWORD)))
      .hasMessageContaining(notAStore.toAbsolutePath().toString()).hasMessageContaining("not a PKCS12 file");
    Path yaml = Files.writeString(dir.resolve("with-password.yaml"), "cluster:\n  tls:\n    password: secret\n");
    assertThatThrownBy(() -> ClusterTls.configure(new EventBusOptions(), yaml, Map.of()))
      .hasMessageContaining("passwords come only from the environment");
  }

  @Test
  @DisplayName("a misspelt key in the YAML stops a clustered start before Vert.x is built, naming the nearest key")
  void shouldRefuseAMisspeltKey() throws IOException {
    Path yaml = Files.writeString(dir.resolve("misspelt.yaml"), "cluster:\n  tls:\n    enabeld: true\n");
    assertThatThrownBy(() -> ClusterTls.configure(new EventBusOptions(), yaml, Map.of()))
      .hasMessage("invalid config cluster.tls.enabeld: unknown key; did you mean enabled?");
  }

  @Test
  @DisplayName("the environment rule's variables set cluster.tls too, and the MESH_CLUSTER_TLS* aliases win over them")
  void shouldHonourTheEnvironmentRule() {
    assertThat(configure(Map.of("MESH_CLUSTER__TLS__ENABLED", "true", "MESH_CLUSTER__TLS__KEY_STORE",
      keyStore.toString(), ClusterTls.PASSWORD, PASSWORD)).isSsl()).isTrue();
    assertThat(configure(Map.of("MESH_CLUSTER__TLS__ENABLED", "true", ClusterTls.ENABLED, "false")).isSsl()).isFalse();
    assertThatThrownBy(() -> configure(Map.of("MESH_CLUSTER__TLS__ENABLD", "true")))
      .hasMessageStartingWith("invalid environment MESH_CLUSTER__TLS__ENABLD: unknown key cluster.tls.enabld; "
        + "did you mean cluster.tls.enabled");
  }
}
