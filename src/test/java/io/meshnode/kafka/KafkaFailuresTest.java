package io.meshnode.kafka;

import io.meshnode.contract.Blame;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka classification table of the README, row by row, on kafka-clients' own exception types. */
class KafkaFailuresTest {

  @Test
  @DisplayName("non-retriable refusals of the record or its topic are the caller's, also when wrapped")
  void shouldBlameTheCallerForRefusedRecords() {
    for (Throwable refusal : new Throwable[] {new InvalidTopicException("Invalid topics: [..]"),
      new RecordTooLargeException("too large"), new RecordBatchTooLargeException("batch"),
      new InvalidRecordException("Compacted topic cannot accept message without key"),
      new InvalidTimestampException("ts"), new PolicyViolationException("policy"),
      new TopicAuthorizationException(Set.of("secret")), new SerializationException("ser"),
      new KafkaException(new ExecutionException(new RecordTooLargeException("wrapped")))}) {
      assertThat(KafkaFailures.blame(refusal)).as(refusal.toString()).isEqualTo(Blame.CALLER);
    }
  }

  @Test
  @DisplayName("refusals of the node's credentials, authorization or settings are the configuration's")
  void shouldBlameTheConfigurationForRefusedSettings() {
    for (Throwable refusal : new Throwable[] {new SaslAuthenticationException("bad password"),
      new ClusterAuthorizationException("no IdempotentWrite"), new UnsupportedVersionException("old broker")}) {
      assertThat(KafkaFailures.blame(refusal)).as(refusal.toString()).isEqualTo(Blame.CONFIGURATION);
    }
  }

  @Test
  @DisplayName("retriable errors, timeouts, disconnects and anything unknown are the dependency's")
  void shouldBlameTheDependencyForTheRest() {
    for (Throwable failure : new Throwable[] {new TimeoutException("Topic t not present in metadata"),
      new NotLeaderOrFollowerException("x"), new NotEnoughReplicasException("x"), new NetworkException("x"),
      new DisconnectException("x"), new UnknownTopicOrPartitionException("x"), new CorruptRecordException("x"),
      new InterruptException("x"), new KafkaException("Producer is closed forcefully."),
      new IllegalStateException("x")}) {
      assertThat(KafkaFailures.blame(failure)).as(failure.toString()).isEqualTo(Blame.DEPENDENCY);
    }
  }
}
