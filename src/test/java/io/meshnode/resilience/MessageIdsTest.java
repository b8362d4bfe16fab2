package io.meshnode.resilience;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTest {

  @Test
  @DisplayName("ids are distinct UUIDs of version 8 and the RFC variant, one prefix per instance")
  void shouldHandOutDistinctVersion8Uuids() {
    MessageIds ids = new MessageIds(-1L);
    Set<String> seen = new HashSet<>();

    for (int i = 0; i < 10_000; i++) {
      String id = ids.next();
      UUID parsed = UUID.fromString(id);
      assertThat(parsed.version()).isEqualTo(8);
      assertThat(parsed.variant()).isEqualTo(2);
      assertThat(parsed.toString()).isEqualTo(id);
      assertThat(seen.add(id)).as(id).isTrue();
    }
    assertThat(UUID.fromString(new MessageIds(-1L).next()).getMostSignificantBits())
      .isEqualTo(UUID.fromString(ids.next()).getMostSignificantBits());
    assertThat(UUID.fromString(new MessageIds().next()).getMostSignificantBits())
      .isNotEqualTo(UUID.fromString(new MessageIds().next()).getMostSignificantBits());
  }
}
