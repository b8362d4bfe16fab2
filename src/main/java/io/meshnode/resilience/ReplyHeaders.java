package io.meshnode.resilience;

import io.meshnode.contract.MeshHeader;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The {@code mesh-source}, {@code mesh-attempts} and {@code mesh-node} headers of a reply. A fresh options object and
 * header map per reply: the bus makes its header map the message's own, and tracing or interceptors may add to it
 * ({@link ReplyHeaderMap} then becomes an ordinary map).
 */
final class ReplyHeaders {

  private static final String[] ATTEMPTS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

  private ReplyHeaders() {
  }

  static DeliveryOptions of(Outcome outcome, String nodeId) {
    int attempts = outcome.attempts();
    return new DeliveryOptions().setHeaders(new ReplyHeaderMap(nodeId,
      outcome.fromFallback() ? MeshHeader.SOURCE_FALLBACK : MeshHeader.SOURCE_PRIMARY,
      attempts >= 0 && attempts < ATTEMPTS.length ? ATTEMPTS[attempts] : Integer.toString(attempts)));
  }
}
