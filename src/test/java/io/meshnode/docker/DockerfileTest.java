package io.meshnode.docker;

import io.meshnode.docker.DockerFiles.Instruction;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.meshnode.docker.DockerFiles.list;
import static io.meshnode.docker.DockerFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code docker/Dockerfile} and {@code .dockerignore} against {@code bin/mesh-node}, the pom, conf and compose. */
class DockerfileTest {

  private static final Pattern LAUNCHER_JAR = Pattern.compile("(?m)^readonly JAR=(\\S+)$");
  /** How {@code bin/mesh-node run} starts the node; {@code MESH_JAVA_OPTS} are JVM options (JAVA_TOOL_OPTIONS here). */
  private static final Pattern LAUNCHER_JAVA = Pattern.compile("(?m)^\\s*java \\$\\{MESH_JAVA_OPTS:-} -jar \"\\$JAR\" \"\\$@\"");
  private static final Pattern COPY_FROM_BUILD = Pattern.compile("--from=build (\\S+) (\\S+)");

  private final List<Instruction> image = DockerFiles.finalStage();

  @Test
  @DisplayName("the image runs the fat jar with bin/mesh-node run's entry point, clustered")
  void shouldRunTheLaunchersEntryPoint() {
    String launcher = DockerFiles.read(DockerFiles.LAUNCHER);
    Matcher jar = LAUNCHER_JAR.matcher(launcher);
    assertThat(jar.find()).as("JAR in bin/mesh-node").isTrue();
    assertThat(LAUNCHER_JAVA.matcher(launcher).find()).as("bin/mesh-node run's java command").isTrue();
    String jarName = Path.of(jar.group(1)).getFileName().toString();

    assertThat(new JsonArray(DockerFiles.only(image, "ENTRYPOINT")).getList())
      .containsExactly("java", "-jar", jarName, "--cluster");
    Matcher copied = COPY_FROM_BUILD.matcher(copies().stream().filter(c -> c.startsWith("--from=build")).findFirst()
      .orElseThrow());
    assertThat(copied.matches()).isTrue();
    String buildWorkdir = DockerFiles.only(buildStage(), "WORKDIR");
    assertThat(copied.group(1)).isEqualTo(buildWorkdir + "/" + jar.group(1));
    assertThat(copied.group(2)).isEqualTo(jarName);
  }

  @Test
  @DisplayName("Maven builds the jar without tests and without the local Kafka broker's jars, which the pom lets skip")
  void shouldBuildWithMaven() {
    assertThat(buildStage().get(0).arguments()).startsWith("maven:3.9-eclipse-temurin-17 AS build");
    assertThat(image.get(0).arguments()).isEqualTo("eclipse-temurin:17-jre");
    assertThat(buildStage()).contains(new Instruction("RUN", "mvn -B -DskipTests -DskipKafkaBroker=true package"));
    assertThat(DockerFiles.read(Path.of("pom.xml"))).contains("<skip>${skipKafkaBroker}</skip>");
  }

  @Test
  @DisplayName("conf/ and verticles.json sit where Main looks by default, the queue's directory is the volume")
  void shouldLayOutTheWorkingDirectory() {
    String workdir = DockerFiles.only(image, "WORKDIR");
    String queuePath = String.valueOf(DockerFiles.conf("kafka", "queue_path"));

    assertThat(copies()).contains("conf conf", "verticles.json verticles.json");
    assertThat(DockerFiles.only(image, "VOLUME")).isEqualTo(workdir + "/" + Path.of(queuePath).getParent());
    assertThat(DockerFiles.only(image, "USER")).isNotIn("root", "0");
  }

  @Test
  @DisplayName("the image exposes conf's HTTP port and the Hazelcast port")
  void shouldExposeThePorts() {
    assertThat(DockerFiles.only(image, "EXPOSE").split(" "))
      .containsExactlyInAnyOrder(String.valueOf(DockerFiles.conf("web", "port")), "5701");
  }

  @Test
  @DisplayName("the image's HEALTHCHECK is the command compose runs on every node")
  void shouldCheckHealthLikeCompose() {
    String healthcheck = DockerFiles.only(image, "HEALTHCHECK");
    List<Object> command = new JsonArray(healthcheck.substring(healthcheck.indexOf("CMD ") + 4)).getList();
    Map<String, Object> services = map(DockerFiles.yaml(DockerFiles.COMPOSE), "services");

    for (String node : DockerComposeTest.MESH_NODES) {
      List<Object> composeTest = list(map(map(services, node), "healthcheck"), "test");
      assertThat(composeTest.subList(1, composeTest.size())).as(node).isEqualTo(command);
    }
  }

  @Test
  @DisplayName(".dockerignore lets in every COPY source and nothing else")
  void shouldLetInWhatIsCopied() {
    List<String> patterns = Arrays.stream(DockerFiles.read(DockerFiles.DOCKERIGNORE).split("\n"))
      .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    List<String> sources = new ArrayList<>();
    DockerFiles.dockerfile().stream().filter(i -> i.keyword().equals("COPY") && !i.arguments().startsWith("--from"))
      .forEach(copy -> {
        String[] words = copy.arguments().split(" ");
        sources.addAll(Arrays.asList(words).subList(0, words.length - 1));
      });

    assertThat(patterns.get(0)).isEqualTo("*");
    assertThat(patterns.subList(1, patterns.size()))
      .containsExactlyInAnyOrderElementsOf(sources.stream().distinct().map(source -> "!" + source).toList());
  }

  private List<Instruction> buildStage() {
    List<Instruction> all = DockerFiles.dockerfile();
    return all.subList(0, all.size() - image.size());
  }

  private List<String> copies() {
    return image.stream().filter(i -> i.keyword().equals("COPY")).map(Instruction::arguments).toList();
  }
}
