package io.meshnode.resilience;

import io.meshnode.contract.MeshHeader;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ReplyHeaderMapTest {

  private final MultiMap headers = new ReplyHeaderMap("node-1", MeshHeader.SOURCE_PRIMARY, "1");

  @Test
  void shouldAnswerItsThreeHeadersWhateverTheCase() {
    assertThat(headers.get(MeshHeader.NODE)).isEqualTo("node-1");
    assertThat(headers.get("MESH-SOURCE")).isEqualTo(MeshHeader.SOURCE_PRIMARY);
    assertThat(headers.getAll(MeshHeader.ATTEMPTS)).containsExactly("1");
    assertThat(headers.get("other")).isNull();
    assertThat(headers.getAll("other")).isEmpty();
    assertThat(headers.size()).isEqualTo(3);
    assertThat(headers.isEmpty()).isFalse();
    assertThat(headers.entries()).extracting(Map.Entry::getKey)
      .containsExactly(MeshHeader.NODE, MeshHeader.SOURCE, MeshHeader.ATTEMPTS);
  }

  @Test
  void shouldBecomeAnOrdinaryMapOnTheFirstWrite() {
    headers.add("traceparent", "00-abc").set(MeshHeader.ATTEMPTS, "2").remove(MeshHeader.NODE);
    assertThat(headers.get("traceparent")).isEqualTo("00-abc");
    assertThat(headers.get(MeshHeader.ATTEMPTS)).isEqualTo("2");
    assertThat(headers.contains(MeshHeader.NODE)).isFalse();
    assertThat(headers.names()).containsExactlyInAnyOrder(MeshHeader.SOURCE, MeshHeader.ATTEMPTS, "traceparent");
    headers.clear();
    assertThat(headers.isEmpty()).isTrue();
  }

  @Test
  void shouldReachTheRequesterAsTheReplysHeaders(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().consumer("reply-headers-test", msg -> msg.reply("ok", new DeliveryOptions().setHeaders(
      new ReplyHeaderMap("node-1", MeshHeader.SOURCE_FALLBACK, "0"))));
    vertx.eventBus().request("reply-headers-test", "ping").onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply.headers().get(MeshHeader.NODE)).isEqualTo("node-1");
      assertThat(reply.headers().get(MeshHeader.SOURCE)).isEqualTo(MeshHeader.SOURCE_FALLBACK);
      assertThat(reply.headers().get(MeshHeader.ATTEMPTS)).isEqualTo("0");
      test.completeNow();
    })));
  }
}
