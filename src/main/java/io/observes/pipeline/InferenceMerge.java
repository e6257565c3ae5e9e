package io.observes.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * The schema passes of many segments merged as they finish, in segment order: the columns of a
 * table are ordered as first seen, so merging in finishing order would make the schema depend on
 * which thread was faster. Only a window of finished passes waits for a slower segment before it;
 * a worker that finishes further ahead waits too, so memory stays bounded by the window, not by the
 * number of segments.
 */
final class InferenceMerge {
  private final SchemaInference all;
  private final int window;
  private final Map<Integer, SchemaInference> waiting = new HashMap<>();
  private int next;

  InferenceMerge(int maxDepth, int window) {
    this.all = new SchemaInference(maxDepth);
    this.window = Math.max(1, window);
  }

  /**
   * Segment {@code segment}'s pass ({@code null} when it failed: the run fails, but the segments
   * after it must not wait for it).
   */
  synchronized void add(int segment, SchemaInference pass) throws InterruptedException {
    // The segment at 'next' is always being worked on or added, and never waits here: no deadlock.
    while (segment >= next + window) {
      wait();
    }
    waiting.put(segment, pass == null ? FAILED : pass);
    while (waiting.containsKey(next)) {
      SchemaInference ready = waiting.remove(next++);
      if (ready != FAILED) {
        all.merge(ready);
      }
    }
    notifyAll();
  }

  synchronized SchemaInference merged() {
    return all;
  }

  private static final SchemaInference FAILED = new SchemaInference(1);
}
