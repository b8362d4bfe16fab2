package io.meshnode.docker;

import io.meshnode.bootstrap.EnvironmentOverrides;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The deployment files as the tests of {@code docker/} read them: YAML through SnakeYAML (the parser vertx-config-yaml
 * brings; it resolves the compose file's anchors and {@code <<} merge keys as Compose does), the Dockerfile as a list
 * of instructions, and the environment variables the node's code reads. Paths are relative to the project directory,
 * the tests' working directory.
 */
final class DockerFiles {

  static final Path COMPOSE = Path.of("docker/compose.yaml");
  static final Path DOCKERFILE = Path.of("docker/Dockerfile");
  static final Path PROMETHEUS = Path.of("docker/prometheus.yml");
  static final Path DOCKERIGNORE = Path.of(".dockerignore");
  static final Path LAUNCHER = Path.of("bin/mesh-node");
  static final Path APPLICATION_CONF = Path.of("conf/application.yaml");
  static final Path README = Path.of("README.md");
  private static final Path MAIN_SOURCES = Path.of("src/main/java");
  private static final Pattern MESH_VARIABLE = Pattern.compile("\"(MESH_[A-Z0-9_]+)\"");

  /** One Dockerfile instruction: its keyword in upper case and the rest of its (joined) lines. */
  record Instruction(String keyword, String arguments) {
  }

  private DockerFiles() {
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML document as maps and lists. */
  static Map<String, Object> yaml(Path file) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value == null ? List.of() : (List<Object>) value;
  }

  /** The Dockerfile's instructions, continuation lines joined, comments and blank lines left out. */
  static List<Instruction> dockerfile() {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : read(DOCKERFILE).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      boolean continued = trimmed.endsWith("\\");
      pending.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continued) {
        String[] parts = pending.toString().strip().split("\\s+", 2);
        instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
        pending.setLength(0);
      }
    }
    return instructions;
  }

  /** The instructions of the Dockerfile's last stage (after its last {@code FROM}): the image that runs. */
  static List<Instruction> finalStage() {
    List<Instruction> all = dockerfile();
    int lastFrom = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        lastFrom = i;
      }
    }
    return all.subList(lastFrom, all.size());
  }

  /** The arguments of the only {@code keyword} instruction among {@code instructions}. */
  static String only(List<Instruction> instructions, String keyword) {
    List<String> found = instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments)
      .toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + keyword + " in the stage, found " + found.size());
    }
    return found.get(0);
  }

  /**
   * The environment variables the node reads: {@link EnvironmentOverrides#variables()} and every {@code "MESH_…"}
   * string literal of the main sources (Main and bootstrap read the others by name), so a variable the code stops
   * reading, or one only a deployment file invents, is noticed.
   */
  static Set<String> variablesTheNodeReads() {
    Set<String> variables = new TreeSet<>(EnvironmentOverrides.variables());
    try (Stream<Path> sources = Files.walk(MAIN_SOURCES)) {
      sources.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
        Matcher literal = MESH_VARIABLE.matcher(read(file));
        while (literal.find()) {
          variables.add(literal.group(1));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return variables;
  }

  /** {@code conf/application.yaml}'s {@code section.key}, as written. */
  static Object conf(String section, String key) {
    return map(yaml(APPLICATION_CONF), section).get(key);
  }

  /** The README's {@code ## Docker} section, up to the next second-level heading. */
  static String readmeDockerSection() {
    String readme = read(README);
    int start = readme.indexOf("\n## Docker\n");
    if (start < 0) {
      throw new AssertionError("README.md has no '## Docker' section");
    }
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }
}
