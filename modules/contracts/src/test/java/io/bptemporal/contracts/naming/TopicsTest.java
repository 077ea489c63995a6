package io.bptemporal.contracts.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void thePlatformTopicsWithTheirPartitions() {
    assertThat(Topics.ALL)
        .containsExactly(
            new TopicSpec("bp.events", 3),
            new TopicSpec("bp.events.dlq", 1),
            new TopicSpec("bp.outbox", 3));
    assertThat(Topics.byName("bp.events.dlq")).contains(Topics.DEAD_LETTER);
    assertThat(Topics.byName("bp.unknown")).isEmpty();
  }

  @Test
  void namesFollowKafkaRules() {
    assertThatThrownBy(() -> new TopicSpec("bp events", 1))
        .hasMessageStartingWith("topic name 'bp events' is not valid");
    assertThatThrownBy(() -> new TopicSpec("..", 1))
        .hasMessageStartingWith("topic name '..' is not valid");
    assertThatThrownBy(() -> new TopicSpec("x".repeat(250), 1))
        .hasMessageContaining("1-249 characters");
    assertThat(new TopicSpec("x".repeat(249), 1).name()).hasSize(249);
  }

  @Test
  void atLeastOnePartition() {
    assertThatThrownBy(() -> new TopicSpec("bp.events", 0))
        .hasMessage("topic 'bp.events' has 0 partitions; at least 1 is needed");
  }
}
