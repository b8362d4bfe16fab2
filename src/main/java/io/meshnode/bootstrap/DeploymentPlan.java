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
 *
 * <p>{@code "profiles": {"full": ["name", …], "client": […]}} names which entries each profile deploys (in the
 * descriptor's order); without it, the one profile {@value #FULL} deploys every entry. Every verticle also receives
 * the section {@code node}: {@code {id, clustered, profile}} ({@link NodeIdentity}).
 */
public final class DeploymentPlan {

  private static final Logger LOG = LoggerFactory.getLogger(DeploymentPlan.class);

  /** One verticle of the plan. */
  public record Entry(String name, List<String> classNames, int instances, ThreadingModel threadingModel,
                      List<String> sections) {
  }

  /** What an unknown-key message says is invalid. */
  private static final String SOURCE = "verticles.json";

  /** The default profile: a node with the data verticles, the resilience layer and the web verticle. */
  public static final String FULL = "full";

  private final String profile;
  private final List<Entry> entries;

  private DeploymentPlan(String profile, List<Entry> entries) {
    this.profile = profile;
    this.entries = entries;
  }

  /** The {@value #FULL} profile of the descriptor; see {@link #fromJson(JsonObject, String)}. */
  public static DeploymentPlan fromJson(JsonObject descriptor) {
    return fromJson(descriptor, FULL);
  }

  /**
   * The entries {@code profile} deploys; throws {@link IllegalArgumentException} naming the entry, key or profile at
   * fault, or the full path of a key {@link ConfigSchema#VERTICLES} does not declare.
   */
  public static DeploymentPlan fromJson(JsonObject descriptor, String profile) {
    UnknownKeys.check(SOURCE, "", descriptor, ConfigSchema.VERTICLES);
    List<Entry> entries = entries(descriptor);
    JsonObject profiles = descriptor.getJsonObject("profiles");
    if (profiles == null) {
      if (!FULL.equals(profile)) {
        throw new IllegalArgumentException("invalid profile '" + profile + "': verticles.json declares no "
          + "'profiles', so only '" + FULL + "' exists");
      }
      return new DeploymentPlan(profile, entries);
    }
    JsonArray names = profiles.getJsonArray(profile);
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("invalid profile '" + profile + "': verticles.json profiles are "
        + profiles.fieldNames());
    }
    List<String> known = entries.stream().map(Entry::name).toList();
    names.stream().map(String::valueOf).filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
      throw new IllegalArgumentException("invalid verticles.json: profiles." + profile + " names '" + name
        + "', which is not an entry name " + known);
    });
    return new DeploymentPlan(profile, entries.stream().filter(entry -> names.contains(entry.name())).toList());
  }

  /** The profile this plan deploys. */
  public String profile() {
    return profile;
  }

  /** The entries deployed, in order. */
  public List<Entry> entries() {
    return entries;
  }

  private static List<Entry> entries(JsonObject descriptor) {
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
    return entries;
  }

  /** Deploys every entry in order, each once the previous one's start completed; fails on the first failure. */
  public Future<List<String>> deploy(Vertx vertx, JsonObject config) {
    List<String> ids = new ArrayList<>();
    JsonObject node = NodeIdentity.section(vertx, profile);
    Future<Void> chain = Future.succeededFuture();
    for (Entry entry : entries) {
      chain = chain.compose(v -> vertx.deployVerticle(() -> instantiate(entry), options(entry, config, node))
        .map(id -> {
          LOG.info("deployed {} ({} instance(s))", entry.name(), entry.instances());
          ids.add(id);
          return null;
        }));
    }
    return chain.map(v -> ids);
  }

  /**
   * Undeploys {@code ids} (as {@link #deploy} returned them) one after another in reverse order, each once the
   * previous one's stop completed; a failed undeploy is logged and the next one still runs.
   */
  public static Future<Void> undeployInReverse(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      chain = chain.compose(v -> vertx.undeploy(id)
        .onFailure(failure -> LOG.warn("undeploy {}: {}", id, failure.toString()))
        .otherwiseEmpty());
    }
    return chain;
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

  private static DeploymentOptions options(Entry entry, JsonObject config, JsonObject node) {
    JsonObject sections = new JsonObject().put(NodeIdentity.SECTION, node.copy());
    entry.sections().forEach(section -> sections.put(section, config.getValue(section)));
    return new DeploymentOptions().setInstances(entry.instances()).setThreadingModel(entry.threadingModel())
      .setConfig(sections);
  }
}
