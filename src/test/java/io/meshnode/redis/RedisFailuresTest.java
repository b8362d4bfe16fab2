package io.meshnode.redis;

import io.meshnode.contract.Blame;
import io.vertx.core.VertxException;
import io.vertx.redis.client.impl.types.ErrorType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis classification table of the README, row by row, on vertx-redis-client's own error type. */
class RedisFailuresTest {

  @Test
  @DisplayName("error replies describe the request, whatever their code, but for the two lists below")
  void shouldBlameTheCallerForErrorRepliesAboutTheRequest() {
    for (String reply : new String[] {"WRONGTYPE Operation against a key holding the wrong kind of value",
      "ERR invalid expire time in 'set' command", "ERR value is not an integer or out of range", "ERR syntax error",
      "EXECABORT Transaction discarded because of previous errors.", "NOSCRIPT No matching script", "BUSYKEY x",
      "CROSSSLOT Keys in request don't hash to the same slot", "ERR"}) {
      assertThat(RedisFailures.blame(ErrorType.create(reply))).as(reply).isEqualTo(Blame.CALLER);
    }
  }

  @Test
  @DisplayName("codes saying the server cannot serve now are the dependency's")
  void shouldBlameTheDependencyWhenRedisCannotServeNow() {
    for (String reply : new String[] {"LOADING Redis is loading the dataset in memory",
      "BUSY Redis is busy running a script.", "MASTERDOWN Link with MASTER is down",
      "TRYAGAIN Multiple keys request during rehashing", "CLUSTERDOWN The cluster is down",
      "READONLY You can't write against a read only replica.", "OOM command not allowed when used memory > 'maxmemory'.",
      "NOREPLICAS Not enough good replicas to write.", "MISCONF Redis is configured to save RDB snapshots",
      "UNBLOCKED client unblocked"}) {
      assertThat(RedisFailures.blame(ErrorType.create(reply))).as(reply).isEqualTo(Blame.DEPENDENCY);
    }
  }

  @Test
  @DisplayName("credentials and permissions refused are the node's configuration, on a command or at connect")
  void shouldBlameTheConfigurationForRefusedCredentials() {
    for (String reply : new String[] {"NOAUTH Authentication required.",
      "NOPERM User mesh has no permissions to run the 'get' command",
      "WRONGPASS invalid username-password pair or user is disabled."}) {
      assertThat(RedisFailures.blame(ErrorType.create(reply))).as(reply).isEqualTo(Blame.CONFIGURATION);
      assertThat(RedisFailures.blame(new RedisFailures.HandshakeFailure(ErrorType.create(reply)))).as(reply)
        .isEqualTo(Blame.CONFIGURATION);
    }
  }

  @Test
  @DisplayName("a connection that cannot be opened or is lost is the dependency's, even refused with an error reply")
  void shouldBlameTheDependencyForConnections() {
    assertThat(RedisFailures.blame(new RedisFailures.HandshakeFailure(new ConnectException("Connection refused"))))
      .isEqualTo(Blame.DEPENDENCY);
    assertThat(RedisFailures.blame(new RedisFailures.HandshakeFailure(
      ErrorType.create("ERR max number of clients reached")))).isEqualTo(Blame.DEPENDENCY);
    assertThat(RedisFailures.blame(new VertxException("Connection is closed"))).isEqualTo(Blame.DEPENDENCY);
    assertThat(RedisFailures.blame(new IllegalStateException("Redis waiting queue is full"))).isEqualTo(Blame.DEPENDENCY);
  }
}
