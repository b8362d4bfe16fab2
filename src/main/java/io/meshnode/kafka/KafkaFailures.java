package io.meshnode.kafka;

import io.meshnode.contract.Blame;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import java.util.List;

/**
 * Whose fault a failed publish is, from kafka-clients' exception types (never message text), for the publish path and
 * the durable queue's replay alike.
 *
 * <ul>
 *   <li>{@link Blame#CALLER}: kafka-clients' non-retriable refusals of the record or its topic — an invalid or
 *       internal topic, a record too large for the producer or the topic, a record the topic refuses (a compacted
 *       topic's record without a key), a bad timestamp, a topic policy, a topic the node may not write to, a value
 *       that cannot be serialized;</li>
 *   <li>{@link Blame#CONFIGURATION}: refusals of the node itself — authentication, cluster authorization, a
 *       producer setting or version the broker does not support;</li>
 *   <li>{@link Blame#DEPENDENCY}: everything else — the {@code RetriableException} family (no leader, not enough
 *       replicas, unknown topic while metadata settles), timeouts, disconnects, a closed producer.</li>
 * </ul>
 */
final class KafkaFailures {

  /** Refusals of the record or its topic. */
  static final List<Class<? extends Throwable>> CALLERS = List.of(InvalidTopicException.class,
    RecordTooLargeException.class, RecordBatchTooLargeException.class, InvalidRecordException.class,
    InvalidTimestampException.class, PolicyViolationException.class, TopicAuthorizationException.class,
    SerializationException.class);
  /** Refusals of the node's own settings or credentials. */
  static final List<Class<? extends Throwable>> CONFIGURATION = List.of(AuthenticationException.class,
    ClusterAuthorizationException.class, TransactionalIdAuthorizationException.class,
    UnsupportedVersionException.class, UnsupportedCompressionTypeException.class,
    UnsupportedForMessageFormatException.class, InvalidRequiredAcksException.class,
    InvalidConfigurationException.class);

  private KafkaFailures() {
  }

  /** Whose fault {@code failure} of a send is (a wrapping {@code ExecutionException} or the like is looked through). */
  static Blame blame(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof RetriableException) {
        return Blame.DEPENDENCY;
      }
      if (isA(CALLERS, cause)) {
        return Blame.CALLER;
      }
      if (isA(CONFIGURATION, cause)) {
        return Blame.CONFIGURATION;
      }
    }
    return Blame.DEPENDENCY;
  }

  private static boolean isA(List<Class<? extends Throwable>> types, Throwable failure) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }
}
