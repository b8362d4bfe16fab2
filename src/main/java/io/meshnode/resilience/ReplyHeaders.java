package io.meshnode.resilience;

import io.meshnode.contract.MeshHeader;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The {@code mesh-source}, {@code mesh-attempts} and {@code mesh-node} headers of a node's replies. A fresh options
 * object and header map per reply: the bus makes its header map the message's own, and tracing or interceptors may
 * add to it ({@link ReplyHeaderMap} then becomes an ordinary map). The entries themselves are immutable, so those of
 * the common replies (either source, up to nine attempts) are built once.
 */
final class ReplyHeaders {

  private static final int PREBUILT_ATTEMPTS = 10;

  private final String nodeId;
  private final List<List<Map.Entry<String, String>>> primary;
  private final List<List<Map.Entry<String, String>>> fallback;

  ReplyHeaders(String nodeId) {
    this.nodeId = nodeId;
    this.primary = prebuilt(nodeId, MeshHeader.SOURCE_PRIMARY);
    this.fallback = prebuilt(nodeId, MeshHeader.SOURCE_FALLBACK);
  }

  DeliveryOptions of(Outcome outcome) {
    int attempts = outcome.attempts();
    List<Map.Entry<String, String>> entries = attempts >= 0 && attempts < PREBUILT_ATTEMPTS
      ? (outcome.fromFallback() ? fallback : primary).get(attempts)
      : ReplyHeaderMap.entries(nodeId, outcome.fromFallback() ? MeshHeader.SOURCE_FALLBACK : MeshHeader.SOURCE_PRIMARY,
        Integer.toString(attempts));
    return new DeliveryOptions().setHeaders(new ReplyHeaderMap(entries));
  }

  private static List<List<Map.Entry<String, String>>> prebuilt(String nodeId, String source) {
    return IntStream.range(0, PREBUILT_ATTEMPTS)
      .mapToObj(attempts -> ReplyHeaderMap.entries(nodeId, source, Integer.toString(attempts)))
      .toList();
  }
}
