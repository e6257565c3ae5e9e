package io.observes.cli;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.pipeline.Segment;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which segment this process works on: {@code --segment/--total-segments} if given, else the AWS
 * Batch multi-node variables ({@code AWS_BATCH_JOB_NODE_INDEX}, {@code AWS_BATCH_JOB_NUM_NODES}),
 * else an array job's {@code AWS_BATCH_JOB_ARRAY_INDEX} with {@code --total-segments}.
 */
final class SegmentOptions {
  @Option(names = "--segment", description = "This segment's number, from 0. Default: the Batch node or array index.")
  Integer segment;

  @Option(names = "--total-segments", description = "How many segments the run has. Default: the Batch node count; "
      + "phases over all segments read it from the run's manifests.")
  Integer total;

  /** The segment if one is given (flag or Batch variables), for phases that may also run on all of them. */
  Optional<Segment> resolveIfGiven(Environment env) {
    boolean given = segment != null || env.integer("AWS_BATCH_JOB_NODE_INDEX").isPresent()
        || env.integer("AWS_BATCH_JOB_ARRAY_INDEX").isPresent();
    return given ? Optional.of(resolve(env)) : Optional.empty();
  }

  Segment resolve(Environment env) {
    Integer index = segment;
    Integer count = total;
    if (index == null) {
      index = env.integer("AWS_BATCH_JOB_NODE_INDEX").orElse(null);
      if (index != null && count == null) {
        count = env.integer("AWS_BATCH_JOB_NUM_NODES").orElse(null);
      }
    }
    if (index == null) {
      index = env.integer("AWS_BATCH_JOB_ARRAY_INDEX").orElse(null);
      if (index != null && count == null) {
        throw new ConfigException("AWS_BATCH_JOB_ARRAY_INDEX is set but the number of segments is not: pass --total-segments");
      }
    }
    if (index == null) {
      throw new ConfigException("no segment given: pass --segment N --total-segments T, or run as an AWS Batch multi-node "
          + "job (AWS_BATCH_JOB_NODE_INDEX, AWS_BATCH_JOB_NUM_NODES) or array job (AWS_BATCH_JOB_ARRAY_INDEX)");
    }
    if (count == null) {
      throw new ConfigException("segment " + index + " given without the number of segments: pass --total-segments");
    }
    requireTotal(total != null ? "--total-segments" : "AWS_BATCH_JOB_NUM_NODES", count);
    try {
      return new Segment(index, count);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * The number of segments if given (flag, else the Batch node count), for the phases that cover
   * them all; without it they read it from the run's manifests.
   */
  Optional<Integer> given(Environment env) {
    Integer count = total != null ? total : env.integer("AWS_BATCH_JOB_NUM_NODES").orElse(null);
    if (count != null) {
      requireTotal(total != null ? "--total-segments" : "AWS_BATCH_JOB_NUM_NODES", count);
    }
    return Optional.ofNullable(count);
  }

  /** {@code count} segments, given by {@code what}, when a run may have that many; else a usage error saying the maximum. */
  static int requireTotal(String what, long count) {
    try {
      return Segment.requireTotal(count);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(what + ": " + e.getMessage(), e);
    }
  }
}
