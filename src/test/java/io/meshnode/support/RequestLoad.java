package io.meshnode.support;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A steady load of requests to the public addresses, sent from one Vert.x (a client node) on a timer, with the
 * outcome of every request recorded: who served it, how, and when.
 *
 * <p>Each request carries {@code mesh-timeout-ms} = the deadline, and its bus send timeout is the deadline plus a
 * grace: a request that no node answers (its node died with it) ends as a bus TIMEOUT at deadline + grace, so every
 * request has an outcome by then. All sending and recording runs on one event-loop context of {@code vertx}.
 */
public final class RequestLoad {

  /** How a request ended. */
  public enum Kind { PRIMARY, FALLBACK, CODED, BUS_TIMEOUT, BUS_NO_HANDLERS, BUS_ERROR, UNCODED }

  /** One request's fate; times are {@link System#nanoTime()}; {@code node} is the mesh-node of a success. */
  public record Outcome(String address, long sentNanos, long answeredNanos, Kind kind, int code, String node,
                        String detail) {

    public long millis() {
      return (answeredNanos - sentNanos) / 1_000_000;
    }

    /** The reply came from the bus itself, not from a node: no node answered. */
    public boolean busLevel() {
      return kind == Kind.BUS_TIMEOUT || kind == Kind.BUS_NO_HANDLERS || kind == Kind.BUS_ERROR;
    }

    /** Served by a node: from the dependency or the fallback. */
    public boolean served() {
      return kind == Kind.PRIMARY || kind == Kind.FALLBACK;
    }
  }

  /** One request: where it goes and what it says. */
  public record Request(String address, JsonObject body) {
  }

  private final Vertx vertx;
  private final Context context;
  private final long deadlineMillis;
  private final long graceMillis;
  private final Function<Long, Request> requests;
  private final List<Outcome> outcomes = new ArrayList<>();
  private final Promise<List<Outcome>> drained = Promise.promise();
  private long sent;
  private long outstanding;
  private long timer = -1;
  private boolean stopping;

  public RequestLoad(Vertx vertx, long deadlineMillis, long graceMillis, Function<Long, Request> requests) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.deadlineMillis = deadlineMillis;
    this.graceMillis = graceMillis;
    this.requests = requests;
  }

  /** Requests to every public address in turn: Redis SET/GET/DEL of keys under {@code run}, a read, a publish. */
  public static Function<Long, Request> everyAddress(String run, String topic) {
    return n -> {
      String key = "load:" + run + ":" + (n / 5);
      return switch ((int) (n % 5)) {
        case 0 -> new Request(MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, key).put(MeshField.VALUE, "v"));
        case 1 -> new Request(MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY, key));
        case 2 -> new Request(MeshAddress.REDIS_DEL, new JsonObject().put(MeshField.KEY, key));
        case 3 -> new Request(MeshAddress.PG_QUERY,
          new JsonObject().put(MeshField.QUERY, "server_time").put(MeshField.PARAMS, new JsonArray()));
        default -> new Request(MeshAddress.KAFKA_PUBLISH,
          new JsonObject().put(MeshField.TOPIC, topic).put(MeshField.KEY, key).put(MeshField.VALUE, "n" + n));
      };
    };
  }

  /** Sends one request every {@code intervalMillis} until {@link #stop()}. */
  public RequestLoad start(long intervalMillis) {
    context.runOnContext(v -> timer = vertx.setPeriodic(intervalMillis, id -> send()));
    return this;
  }

  private void send() {
    Request request = requests.apply(sent++);
    outstanding++;
    DeliveryOptions options = new DeliveryOptions().addHeader(MeshHeader.TIMEOUT_MS, Long.toString(deadlineMillis))
      .setSendTimeout(deadlineMillis + graceMillis);
    long at = System.nanoTime();
    vertx.eventBus().<JsonObject>request(request.address(), request.body(), options)
      .onComplete(ar -> {
        long answered = System.nanoTime();
        outcomes.add(ar.succeeded() ? success(request.address(), at, answered, ar.result())
          : failure(request.address(), at, answered, ar.cause()));
        outstanding--;
        completeWhenDrained();
      });
  }

  private static Outcome success(String address, long at, long answered, Message<JsonObject> reply) {
    Kind kind = MeshHeader.SOURCE_FALLBACK.equals(reply.headers().get(MeshHeader.SOURCE)) ? Kind.FALLBACK
      : Kind.PRIMARY;
    return new Outcome(address, at, answered, kind, 0, reply.headers().get(MeshHeader.NODE), null);
  }

  private static Outcome failure(String address, long at, long answered, Throwable cause) {
    if (!(cause instanceof ReplyException reply)) {
      return new Outcome(address, at, answered, Kind.UNCODED, 0, null, String.valueOf(cause));
    }
    Kind kind = switch (reply.failureType()) {
      case RECIPIENT_FAILURE -> Kind.CODED;
      case TIMEOUT -> Kind.BUS_TIMEOUT;
      case NO_HANDLERS -> Kind.BUS_NO_HANDLERS;
      default -> Kind.BUS_ERROR;
    };
    return new Outcome(address, at, answered, kind, reply.failureCode(), null, reply.getMessage());
  }

  /** Stops sending; completes with every outcome once the last request sent has one. */
  public Future<List<Outcome>> stop() {
    context.runOnContext(v -> {
      stopping = true;
      vertx.cancelTimer(timer);
      completeWhenDrained();
    });
    return drained.future();
  }

  private void completeWhenDrained() {
    if (stopping && outstanding == 0) {
      drained.tryComplete(List.copyOf(outcomes));
    }
  }

  /** Counts by kind (coded failures by code, such as {@code CODED 503}), for a report line. */
  public static Map<String, Long> countByKind(List<Outcome> outcomes) {
    return outcomes.stream().collect(Collectors.groupingBy(
      outcome -> outcome.kind() == Kind.CODED ? "CODED " + outcome.code() : outcome.kind().name(),
      TreeMap::new, Collectors.counting()));
  }
}
