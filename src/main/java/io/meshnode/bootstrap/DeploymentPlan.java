package io.meshnode.bootstrap;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code verticles.json}: which verticles a node deploys, in order, how many instances, which threading model, and
 * which config sections each receives ({@code config()} holds exactly those sections under their names).
 *
 * <pre>{"verticles": [{"name": "redis", "class": "io.meshnode.redis.RedisVerticle", "instances": 1,
 *                  "threadingModel": "EVENT_LOOP", "config": ["redis"]}, …]}</pre>
 *
 * An entry may name {@code "colocate": ["class", …]} instead of {@code "class"}: those verticles are deployed as one
 * {@link ColocatedGroup}, in order, on one context per instance.
 */
public final class DeploymentPlan {

  private static final Logger LOG = LoggerFactory.getLogger(DeploymentPlan.class);

  /** One verticle of the plan. */
  public record Entry(String name, List<String> classNames, int instances, ThreadingModel threadingModel,
                      List<String> sections) {
  }

  private final List<Entry> entries;

  private DeploymentPlan(List<Entry> entries) {
    this.entries = entries;
  }

  /** Parses the descriptor; throws {@link IllegalArgumentException} naming the entry and key at fault. */
  public static DeploymentPlan fromJson(JsonObject descriptor) {
    JsonArray verticles = descriptor.getJsonArray("verticles");
    if (verticles == null || verticles.isEmpty()) {
      throw new IllegalArgumentException("invalid verticles.json: 'verticles' must be a non-empty array");
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < verticles.size(); i++) {
      JsonObject json = verticles.getJsonObject(i);
      String where = "verticles[" + i + "]";
      List<String> classNames = json.containsKey("colocate")
        ? json.getJsonArray("colocate").stream().map(String::valueOf).toList()
        : json.getString("class") == null ? List.of() : List.of(json.getString("class"));
      if (classNames.isEmpty()) {
        throw new IllegalArgumentException("invalid verticles.json: " + where + " needs a class or a colocate list");
      }
      int instances = json.getInteger("instances", 1);
      if (instances < 1) {
        throw new IllegalArgumentException("invalid verticles.json: " + where + ".instances must be >= 1, got "
          + instances);
      }
      ThreadingModel model = ThreadingModel.valueOf(json.getString("threadingModel", "EVENT_LOOP"));
      List<String> sections = json.getJsonArray("config", new JsonArray()).stream().map(String::valueOf).toList();
      entries.add(new Entry(json.getString("name", classNames.get(0)), classNames, instances, model, sections));
    }
    return new DeploymentPlan(entries);
  }

  /** Deploys every entry in order, each once the previous one's start completed; fails on the first failure. */
  public Future<List<String>> deploy(Vertx vertx, JsonObject config) {
    List<String> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Entry entry : entries) {
      chain = chain.compose(v -> vertx.deployVerticle(() -> instantiate(entry), options(entry, config))
        .map(id -> {
          LOG.info("deployed {} ({} instance(s))", entry.name(), entry.instances());
          ids.add(id);
          return null;
        }));
    }
    return chain.map(v -> ids);
  }

  private static Deployable instantiate(Entry entry) {
    List<Deployable> members = entry.classNames().stream().map(DeploymentPlan::newVerticle).toList();
    return members.size() == 1 ? members.get(0) : new ColocatedGroup(members);
  }

  private static Deployable newVerticle(String className) {
    try {
      return (Deployable) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("invalid verticles.json: cannot instantiate " + className + ": " + e, e);
    }
  }

  private static DeploymentOptions options(Entry entry, JsonObject config) {
    JsonObject sections = new JsonObject();
    entry.sections().forEach(section -> sections.put(section, config.getValue(section)));
    return new DeploymentOptions().setInstances(entry.instances()).setThreadingModel(entry.threadingModel())
      .setConfig(sections);
  }
}
