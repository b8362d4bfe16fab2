package io.meshnode.docker;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.meshnode.docker.DockerFiles.list;
import static io.meshnode.docker.DockerFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker/compose.yaml} and {@code docker/prometheus.yml} against the node's code, {@code conf/} and the README:
 * no Docker engine runs here, so this is what keeps them honest.
 */
class DockerComposeTest {

  static final List<String> MESH_NODES = List.of("mesh-1", "mesh-2", "mesh-3");
  private static final Pattern HEALTH_COMMAND = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+) .*'GET (\\S+) HTTP/");
  private static final Pattern INTERPOLATED = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?\\?[^}]*)?}");

  private Map<String, Object> services;

  @BeforeEach
  void readCompose() {
    services = map(DockerFiles.yaml(DockerFiles.COMPOSE), "services");
  }

  /** The HTTP port inside a node's container: conf's web.port, unless the service overrides it. */
  static int containerHttpPort(Map<String, Object> environment) {
    Object override = environment.get("MESH_HTTP_PORT");
    return Integer.parseInt(String.valueOf(override != null ? override : DockerFiles.conf("web", "port")));
  }

  private Map<String, Object> service(String name) {
    return map(services, name);
  }

  private Map<String, Object> environment(String name) {
    return map(service(name), "environment");
  }

  @Test
  @DisplayName("the services are Kafka, PostgreSQL, Redis, Prometheus and three mesh nodes built from docker/Dockerfile")
  void shouldDeclareTheServices() {
    assertThat(services.keySet())
      .containsExactlyInAnyOrder("kafka", "postgres", "redis", "prometheus", "mesh-1", "mesh-2", "mesh-3");
    assertThat(services).allSatisfy((name, definition) -> {
      Map<String, Object> build = map(service(name), "build");
      assertThat(MESH_NODES.contains(name)).as(name + " is built from docker/Dockerfile")
        .isEqualTo(build.equals(Map.of("context", "..", "dockerfile", "docker/Dockerfile")));
    });
    assertThat(service("kafka").get("image")).as("the official image at the broker version of bin/kafka/pom.xml")
      .isEqualTo("apache/kafka:" + kafkaVersionOfTheLocalBroker());
  }

  @Test
  @DisplayName("every MESH_* variable that compose sets is one the node reads")
  void shouldSetOnlyVariablesTheNodeReads() {
    Set<String> set = new TreeSet<>();
    services.keySet().forEach(name -> environment(name).keySet().stream()
      .filter(variable -> variable.startsWith("MESH_")).forEach(set::add));

    assertThat(set).isNotEmpty();
    assertThat(DockerFiles.variablesTheNodeReads()).containsAll(set);
  }

  @Test
  @DisplayName("the nodes are clustered over the compose network, each with its own queue volume")
  void shouldClusterTheMeshNodes() {
    Object queuePath = DockerFiles.conf("kafka", "queue_path");
    String queueDirectory = String.valueOf(queuePath).substring(0, String.valueOf(queuePath).lastIndexOf('/'));
    String workdir = DockerFiles.only(DockerFiles.finalStage(), "WORKDIR");
    Map<String, Object> volumes = map(DockerFiles.yaml(DockerFiles.COMPOSE), "volumes");

    for (String node : MESH_NODES) {
      Map<String, Object> environment = environment(node);
      assertThat(environment.get("MESH_CLUSTER_HOST")).as(node).isEqualTo(node);
      assertThat(List.of(String.valueOf(environment.get("MESH_CLUSTER_MEMBERS")).split(",")))
        .as(node + " members").containsExactlyElementsOf(MESH_NODES);
      assertThat(list(service(node), "volumes")).as(node + " volumes")
        .containsExactly(node + "-queue:" + workdir + "/" + queueDirectory);
      assertThat(volumes).containsKey(node + "-queue");
    }
  }

  @Test
  @DisplayName("the nodes reach Kafka, PostgreSQL and Redis by service name; passwords come from the environment")
  void shouldPointTheNodesAtTheServices() {
    Map<String, Object> kafka = environment("kafka");
    Map<String, Object> postgres = environment("postgres");
    for (String node : MESH_NODES) {
      Map<String, Object> environment = environment(node);
      assertThat(String.valueOf(kafka.get("KAFKA_ADVERTISED_LISTENERS")))
        .isEqualTo("PLAINTEXT://" + environment.get("MESH_KAFKA_BOOTSTRAP_SERVERS"));
      assertThat(environment.get("MESH_PG_HOST")).isEqualTo("postgres");
      assertThat(environment.getOrDefault("MESH_PG_USER", DockerFiles.conf("postgres", "user")))
        .isEqualTo(postgres.get("POSTGRES_USER"));
      assertThat(environment.getOrDefault("MESH_PG_DATABASE", DockerFiles.conf("postgres", "database")))
        .isEqualTo(postgres.get("POSTGRES_DB"));
      assertThat(interpolatedVariable(environment.get("MESH_PG_PASSWORD"))).isEqualTo("MESH_PG_PASSWORD");
      assertThat(environment.get("MESH_REDIS_URL")).isEqualTo("redis://redis:6379");
    }
    assertThat(interpolatedVariable(postgres.get("POSTGRES_PASSWORD"))).isEqualTo("MESH_PG_PASSWORD");
    services.keySet().forEach(name -> environment(name).forEach((variable, value) -> {
      if (variable.contains("PASSWORD")) {
        assertThat(interpolatedVariable(value)).as(name + " " + variable + " is not written in the file").isNotNull();
      }
    }));
  }

  @Test
  @DisplayName("Kafka runs KRaft on one node: broker and controller, its controller the quorum's only voter")
  void shouldRunKafkaInKraftMode() {
    Map<String, Object> kafka = environment("kafka");
    assertThat(String.valueOf(kafka.get("KAFKA_PROCESS_ROLES")).split(",")).containsExactlyInAnyOrder("broker", "controller");
    assertThat(String.valueOf(kafka.get("KAFKA_LISTENERS"))).contains("CONTROLLER://:9093");
    assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(kafka.get("KAFKA_NODE_ID") + "@kafka:9093");
    assertThat(String.valueOf(kafka.get("CLUSTER_ID"))).matches("[A-Za-z0-9_-]{22}");
  }

  @Test
  @DisplayName("every service has a health check; the nodes' is GET /health/ready on the container's HTTP port")
  void shouldCheckHealth() {
    services.keySet().stream().filter(name -> !name.equals("prometheus")).forEach(name ->
      assertThat(list(map(service(name), "healthcheck"), "test")).as(name + " health check").isNotEmpty());
    for (String node : MESH_NODES) {
      List<Object> test = list(map(service(node), "healthcheck"), "test");
      assertThat(test.subList(0, 3)).containsExactly("CMD", "bash", "-c");
      Matcher command = HEALTH_COMMAND.matcher(String.valueOf(test.get(3)));
      assertThat(command.find()).as("health command " + test.get(3)).isTrue();
      assertThat(Integer.parseInt(command.group(1))).isEqualTo(containerHttpPort(environment(node)));
      assertThat(command.group(2)).isEqualTo("/health/ready");
    }
  }

  @Test
  @DisplayName("each node waits for healthy dependencies; mesh-2 and mesh-3 for a healthy mesh-1")
  void shouldStartInOrder() {
    for (String node : MESH_NODES) {
      Map<String, Object> expected = new LinkedHashMap<>();
      List.of("kafka", "postgres", "redis").forEach(data -> expected.put(data, Map.of("condition", "service_healthy")));
      if (!node.equals("mesh-1")) {
        expected.put("mesh-1", Map.of("condition", "service_healthy"));
      }
      assertThat(map(service(node), "depends_on")).as(node).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("only mesh-1's HTTP port and Prometheus are published, on distinct host ports")
  void shouldPublishMeshOneAndPrometheus() {
    assertThat(list(service("mesh-1"), "ports")).containsExactly("127.0.0.1:8080:" + containerHttpPort(environment("mesh-1")));
    assertThat(list(service("prometheus"), "ports")).containsExactly("127.0.0.1:9090:9090");
    services.keySet().stream().filter(name -> !name.equals("mesh-1") && !name.equals("prometheus"))
      .forEach(name -> assertThat(service(name)).as(name).doesNotContainKey("ports"));
  }

  @Test
  @DisplayName("Prometheus scrapes exactly the mesh nodes' /metrics on the container HTTP port")
  void shouldScrapeEveryMeshNode() {
    List<Object> scrapes = list(DockerFiles.yaml(DockerFiles.PROMETHEUS), "scrape_configs");
    assertThat(scrapes).hasSize(1);
    Map<String, Object> scrape = firstOf(scrapes);
    assertThat(list(scrape, "static_configs")).hasSize(1);
    List<Object> targets = list(firstOf(list(scrape, "static_configs")), "targets");

    assertThat(scrape.get("metrics_path")).isEqualTo("/metrics");
    assertThat(targets).containsExactlyInAnyOrderElementsOf(MESH_NODES.stream()
      .map(node -> node + ":" + containerHttpPort(environment(node))).toList());
    assertThat(list(service("prometheus"), "volumes"))
      .containsExactly("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
  }

  @Test
  @DisplayName("the README's Docker section names the command, the services and the published ports")
  void shouldBeDescribedInTheReadme() {
    String section = DockerFiles.readmeDockerSection();

    assertThat(section).contains("docker compose -f docker/compose.yaml up --build", "MESH_PG_PASSWORD",
      "/health", "/metrics");
    assertThat(section).contains(services.keySet());
    services.keySet().forEach(name -> list(service(name), "ports").forEach(port ->
      assertThat(section).contains(String.valueOf(port).split(":")[1])));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstOf(List<Object> items) {
    return (Map<String, Object>) items.get(0);
  }

  private static String interpolatedVariable(Object value) {
    Matcher interpolation = INTERPOLATED.matcher(String.valueOf(value));
    return interpolation.matches() ? interpolation.group(1) : null;
  }

  private static String kafkaVersionOfTheLocalBroker() {
    Matcher version = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>")
      .matcher(DockerFiles.read(Path.of("bin/kafka/pom.xml")));
    assertThat(version.find()).as("kafka.version in bin/kafka/pom.xml").isTrue();
    return version.group(1);
  }
}
