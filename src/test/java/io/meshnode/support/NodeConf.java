package io.meshnode.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A conf directory for node processes: a copy of the shipped {@code conf/} (cluster.xml included) whose YAML files
 * carry the fast durations of {@link TestNode#makeDurationsFast}, then the test's own changes. Ports, queue paths and
 * cluster settings are not written here: each process gets them from its environment, as a deployment would.
 */
public final class NodeConf {

  private static final String APPLICATION = "application.yaml";
  private static final String RESILIENCE = "resilience.yaml";

  private NodeConf() {
  }

  /**
   * Writes the conf directory {@code dir}.
   *
   * @param customize changes to the whole config (application keys plus {@code resilience}), after the fast ones
   */
  public static Path write(Path dir, Consumer<JsonObject> customize) {
    Path shipped = TestKafka.projectDir().resolve("conf");
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(shipped)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      JsonObject config = read(shipped.resolve(APPLICATION)).put("resilience", read(shipped.resolve(RESILIENCE)));
      TestNode.makeDurationsFast(config);
      customize.accept(config);
      JsonObject resilience = (JsonObject) config.remove("resilience");
      writeYaml(dir.resolve(APPLICATION), config);
      writeYaml(dir.resolve(RESILIENCE), resilience);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the node conf directory " + dir, e);
    }
  }

  private static JsonObject read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> yaml = new Yaml().load(reader);
      return new JsonObject(yaml);
    }
  }

  private static void writeYaml(Path file, JsonObject content) throws IOException {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    try (Writer writer = Files.newBufferedWriter(file)) {
      writer.write("# written by " + NodeConf.class.getName() + ": the shipped conf with test durations\n");
      new Yaml(options).dump(plain(content), writer);
    }
  }

  /** Maps and lists all the way down: SnakeYAML would write a JsonObject as a Java bean. */
  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }
}
