package io.meshnode.resilience;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

  private static final ReplyException BAD_REQUEST = MeshFailure.badRequest("key", "is bad");
  private static final ReplyException NOT_FOUND = MeshFailure.of(MeshFailure.NOT_FOUND, "unknown named query: x");
  private static final ReplyException UNAVAILABLE = MeshFailure.of(MeshFailure.UNAVAILABLE, "redis: refused");
  private static final ReplyException BUS_TIMEOUT = new ReplyException(ReplyFailure.TIMEOUT, "timed out");
  private static final ReplyException NO_HANDLERS = new ReplyException(ReplyFailure.NO_HANDLERS, "mesh.internal.x");

  @Test
  @DisplayName("client errors are neither retried nor counted by a breaker")
  void shouldTreatClientErrorsAsTheCallers() {
    for (ReplyException clientError : new ReplyException[] {BAD_REQUEST, NOT_FOUND}) {
      assertThat(Failures.isClientError(clientError)).isTrue();
      assertThat(Failures.isRetryable(clientError)).isFalse();
      assertThat(Failures.countsAgainstDependency(clientError)).isFalse();
      assertThat(Failures.toReply(clientError)).isSameAs(clientError);
    }
  }

  @Test
  @DisplayName("dependency errors, bus timeouts, deadlines and missing handlers are retryable, counted and fall back")
  void shouldTreatTheDependencysFailuresAsSuch() {
    for (Throwable failure : new Throwable[] {UNAVAILABLE, BUS_TIMEOUT, NO_HANDLERS,
      new DeadlineExceededException("cache_read", 5)}) {
      assertThat(Failures.isRetryable(failure)).as(failure.toString()).isTrue();
      assertThat(Failures.countsAgainstDependency(failure)).as(failure.toString()).isTrue();
      assertThat(Failures.isForFallback(failure)).as(failure.toString()).isTrue();
    }
  }

  @Test
  @DisplayName("the node's own errors, a 500 or any other exception, are answered 500: not retried, counted or fallen back on")
  void shouldTreatTheNodesErrorsAsItsOwn() {
    ReplyException misconfigured = MeshFailure.of(MeshFailure.INTERNAL, "redis: NOAUTH Authentication required");
    for (Throwable failure : new Throwable[] {misconfigured, new IllegalStateException("x"),
      new ArithmeticException("long overflow")}) {
      assertThat(Failures.isNodeError(failure)).as(failure.toString()).isTrue();
      assertThat(Failures.isRetryable(failure)).as(failure.toString()).isFalse();
      assertThat(Failures.countsAgainstDependency(failure)).as(failure.toString()).isFalse();
      assertThat(Failures.isForFallback(failure)).as(failure.toString()).isFalse();
      assertThat(Failures.toReply(failure).failureCode()).as(failure.toString()).isEqualTo(MeshFailure.INTERNAL);
    }
  }

  @Test
  @DisplayName("an open breaker's refusal is final: not retried, not counted again")
  void shouldNotRetryARefusal() {
    BreakerOpenException open = new BreakerOpenException("redis");
    assertThat(Failures.isRetryable(open)).isFalse();
    assertThat(Failures.countsAgainstDependency(open)).isFalse();
    assertThat(Failures.toReply(open).failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
  }

  @Test
  @DisplayName("timeouts become 504, missing handlers 503, anything unknown 500")
  void shouldMapToContractCodes() {
    assertThat(Failures.toReply(BUS_TIMEOUT).failureCode()).isEqualTo(MeshFailure.DEADLINE_EXCEEDED);
    assertThat(Failures.toReply(new DeadlineExceededException("cache_read", 5)).failureCode())
      .isEqualTo(MeshFailure.DEADLINE_EXCEEDED);
    assertThat(Failures.toReply(NO_HANDLERS).failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
    assertThat(Failures.toReply(new IllegalStateException("bug")).failureCode()).isEqualTo(MeshFailure.INTERNAL);
  }
}
