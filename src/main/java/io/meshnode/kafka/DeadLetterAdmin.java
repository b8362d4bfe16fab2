package io.meshnode.kafka;

import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.QueueAdmin;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Serves {@link QueueAdmin}: lists, requeues and drops the durable queue's dead letters. */
final class DeadLetterAdmin {

  private DeadLetterAdmin() {
  }

  static Future<JsonObject> handle(DurableQueue queue, JsonObject request) {
    String action = request.getString(QueueAdmin.ACTION, "");
    return switch (action) {
      case QueueAdmin.LIST -> list(queue, request);
      case QueueAdmin.REQUEUE -> which(request).compose(ids -> queue.requeue(ids))
        .map(n -> new JsonObject().put(QueueAdmin.REQUEUED, n));
      case QueueAdmin.DROP -> which(request).compose(ids -> queue.drop(ids))
        .map(n -> new JsonObject().put(QueueAdmin.DROPPED, n));
      default -> Future.failedFuture(MeshFailure.badRequest(QueueAdmin.ACTION, "must be one of list, requeue, drop"));
    };
  }

  private static Future<JsonObject> list(DurableQueue queue, JsonObject request) {
    Object limit = request.getValue(QueueAdmin.LIMIT, QueueAdmin.DEFAULT_LIMIT);
    if (!(limit instanceof Integer max) || max <= 0) {
      return Future.failedFuture(MeshFailure.badRequest(QueueAdmin.LIMIT, "must be a positive integer"));
    }
    return queue.deadLetters(max).map(letters -> new JsonObject()
      .put(QueueAdmin.COUNT, queue.deadCount())
      .put(QueueAdmin.DEAD, new JsonArray(letters.stream().map(DeadLetter::toJson).toList())));
  }

  /** The ids a requeue or drop names, or null for all; exactly one of {@code ids} and {@code all: true}. */
  private static Future<List<String>> which(JsonObject request) {
    boolean all = Boolean.TRUE.equals(request.getValue(QueueAdmin.ALL));
    Object ids = request.getValue(QueueAdmin.IDS);
    if (all == (ids != null)) {
      return Future.failedFuture(MeshFailure.badRequest(QueueAdmin.IDS, "or all:true is required, not both"));
    }
    if (all) {
      return Future.succeededFuture(null);
    }
    if (!(ids instanceof JsonArray array) || array.isEmpty()
      || !array.stream().allMatch(id -> id instanceof String s && !s.isEmpty())) {
      return Future.failedFuture(MeshFailure.badRequest(QueueAdmin.IDS, "must be a non-empty array of message ids"));
    }
    return Future.succeededFuture(array.stream().map(String.class::cast).toList());
  }
}
