package io.observes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.pipeline.Segment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentOptionsTest {
  static SegmentOptions flags(Integer segment, Integer total) {
    SegmentOptions options = new SegmentOptions();
    options.segment = segment;
    options.total = total;
    return options;
  }

  @Test
  void flagsWinOverTheBatchEnvironment() {
    Environment batch = new Environment(Map.of("AWS_BATCH_JOB_NODE_INDEX", "3", "AWS_BATCH_JOB_NUM_NODES", "240"));
    assertThat(flags(7, 240).resolve(batch)).isEqualTo(new Segment(7, 240));
  }

  @Test
  void aMultiNodeJobGivesItsNodeIndexAndCount() {
    Environment batch = new Environment(Map.of("AWS_BATCH_JOB_NODE_INDEX", "3", "AWS_BATCH_JOB_NUM_NODES", "240"));
    assertThat(flags(null, null).resolve(batch)).isEqualTo(new Segment(3, 240));
    assertThat(flags(null, null).given(batch)).contains(240);
  }

  @Test
  void anArrayJobNeedsTheTotalFromTheFlag() {
    Environment array = new Environment(Map.of("AWS_BATCH_JOB_ARRAY_INDEX", "5"));
    assertThat(flags(null, 10).resolve(array)).isEqualTo(new Segment(5, 10));
    assertThatThrownBy(() -> flags(null, null).resolve(array)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--total-segments");
  }

  @Test
  void missingOrOutOfRangeSegmentsAreConfigurationErrors() {
    Environment none = new Environment(Map.of());
    assertThatThrownBy(() -> flags(null, null).resolve(none)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--segment N --total-segments T").hasMessageContaining("AWS_BATCH_JOB_NODE_INDEX");
    assertThatThrownBy(() -> flags(3, null).resolve(none)).isInstanceOf(ConfigException.class).hasMessageContaining("--total-segments");
    assertThatThrownBy(() -> flags(4, 4).resolve(none)).isInstanceOf(ConfigException.class).hasMessageContaining("outside 0..3");
    assertThat(flags(null, null).given(none)).isEmpty();
    assertThatThrownBy(() -> flags(null, 0).given(none)).isInstanceOf(ConfigException.class);
  }
}
