package io.meshnode.bootstrap;

import com.hazelcast.config.Config;
import com.hazelcast.config.TcpIpConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** conf/cluster.xml with its placeholders filled from the environment, as {@code Main --cluster} reads it. */
class ClusterSetupTest {

  private static final Path CLUSTER_XML = Path.of("conf", "cluster.xml");

  @Test
  @DisplayName("without MESH_CLUSTER_* the shipped file joins 127.0.0.1 on 5701 as cluster 'mesh', TCP-IP only")
  void shouldUseTheDefaults() {
    Config config = ClusterSetup.hazelcastConfig(CLUSTER_XML, Map.of());
    TcpIpConfig tcpIp = config.getNetworkConfig().getJoin().getTcpIpConfig();
    assertThat(config.getClusterName()).isEqualTo("mesh");
    assertThat(tcpIp.isEnabled()).isTrue();
    assertThat(tcpIp.getMembers()).containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getMultiMapConfig("__vertx.subs").getValueCollectionType().name()).isEqualTo("SET");
  }

  @Test
  @DisplayName("members with and without ports, the host, port and cluster name come from the environment")
  void shouldFillThePlaceholders() {
    Config config = ClusterSetup.hazelcastConfig(CLUSTER_XML, Map.of(
      ClusterSetup.MEMBERS, " 10.0.0.1:5801, 10.0.0.2 ,10.0.0.3:5802",
      ClusterSetup.HOST, "127.0.0.1",
      ClusterSetup.PORT, "5801",
      ClusterSetup.NAME, "mesh-staging"));
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
      .containsExactly("10.0.0.1:5801", "10.0.0.2", "10.0.0.3:5802");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getClusterName()).isEqualTo("mesh-staging");
  }

  @Test
  @DisplayName("a host name in MESH_CLUSTER_HOST becomes its address: Hazelcast's interface takes addresses")
  void shouldResolveTheHost() {
    assertThat(ClusterSetup.hostAddress(Map.of(ClusterSetup.HOST, "localhost"))).matches("127\\.0\\.0\\.1|::1|0:.*");
  }

  @Test
  @DisplayName("a member written as a port range is refused with a message naming it (Hazelcast 5.3 crashes on it)")
  void shouldRejectPortRanges() {
    assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(CLUSTER_XML,
      Map.of(ClusterSetup.MEMBERS, "127.0.0.1:5701-5703")))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("MESH_CLUSTER_MEMBERS")
      .hasMessageContaining("'127.0.0.1:5701-5703'")
      .hasMessageContaining("port range");
  }

  @Test
  @DisplayName("bad ports, empty member lists and hosts that do not resolve are refused naming the variable")
  void shouldRejectBadValues() {
    assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(CLUSTER_XML, Map.of(ClusterSetup.MEMBERS, "a:99999")))
      .hasMessageContaining("MESH_CLUSTER_MEMBERS: 'a:99999' needs a port between 1 and 65535");
    assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(CLUSTER_XML, Map.of(ClusterSetup.MEMBERS, " , ")))
      .hasMessageContaining("MESH_CLUSTER_MEMBERS: lists no member");
    assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(CLUSTER_XML, Map.of(ClusterSetup.PORT, "57o1")))
      .hasMessageContaining("MESH_CLUSTER_PORT");
    assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(CLUSTER_XML,
      Map.of(ClusterSetup.HOST, "no-such-host.invalid")))
      .hasMessageContaining("MESH_CLUSTER_HOST: cannot resolve 'no-such-host.invalid'");
  }
}
