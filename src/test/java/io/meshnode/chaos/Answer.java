package io.meshnode.chaos;

/**
 * What became of one request of the load.
 *
 * @param address        the public address it was sent to
 * @param startedAt      when it was sent, epoch milliseconds
 * @param latencyMillis  time to its answer, -1 when it was never answered
 * @param kind           how it was answered
 * @param code           the failure code of a coded error, otherwise 0
 * @param attempts       attempts on the dependency ({@code mesh-attempts}) of a reply, otherwise 0
 * @param messageId      for a Kafka publish answered {@code published} or {@code queued}: its {@code mesh-message-id}
 * @param detail         the reply status, or the failure's message
 */
record Answer(String address, long startedAt, long latencyMillis, Kind kind, int code, int attempts, String messageId,
              String detail) {

  /** How a request was answered. */
  enum Kind {
    /** The dependency answered ({@code mesh-source: primary}). */
    PRIMARY,
    /** The fallback answered ({@code mesh-source: fallback}). */
    FALLBACK,
    /** A {@code ReplyException} of type RECIPIENT_FAILURE with a contract code. */
    CODED,
    /** Anything else: a bus timeout, no handler, a failure without a contract code. */
    UNCODED,
    /** No answer at all before the load gave up waiting. */
    UNANSWERED
  }

  long answeredAt() {
    return latencyMillis < 0 ? Long.MAX_VALUE : startedAt + latencyMillis;
  }
}
