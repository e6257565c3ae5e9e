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

  @Test
  void moreSegmentsThanDynamoDbScansAreAUsageErrorWhereverTheyComeFrom() {
    Environment none = new Environment(Map.of());
    assertThatThrownBy(() -> flags(0, 2_000_000_000).resolve(none)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most 1,000,000");
    assertThatThrownBy(() -> flags(null, 1_000_001).given(none)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most 1,000,000");
    Environment nodes = new Environment(Map.of("AWS_BATCH_JOB_NODE_INDEX", "0", "AWS_BATCH_JOB_NUM_NODES", "2000000000"));
    assertThatThrownBy(() -> flags(null, null).resolve(nodes)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most 1,000,000");
    assertThat(flags(999_999, 1_000_000).resolve(none)).isEqualTo(new Segment(999_999, 1_000_000));
  }

  @Test
  void theCommandsRefuseItBeforeTheyOpenAnything() {
    Map<String, String> env = Map.of("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://127.0.0.1:1/db?connectTimeout=2",
        "AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    String[][] commands = {{"etl", "dynamo", "run", "--total-segments", "2000000000"},
        {"etl", "dynamo", "determine-schema", "--segments", "2000000000"},
        {"etl", "dynamo", "phase1", "--segment", "0", "--total-segments", "2000000000", "--run-id", "r1"},
        {"etl", "dynamo", "phase2", "--total-segments", "1000001", "--run-id", "r1"},
        {"demo", "--segments", "2000000000"}};
    for (String[] command : commands) {
      io.observes.testing.CliRun.Result r = io.observes.testing.CliRun.run(env, java.time.Clock.systemUTC(), command);
      assertThat(r.code()).as(String.join(" ", command) + ": " + r.all()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", command)).contains("at most 1,000,000", "TotalSegments");
    }
  }
}
