package io.observes.batch;

import java.util.Locale;

/** The three Batch job sizes and their queues (LEGACY.md §10). */
public enum JobSize {
  SMALL(1, 3800),
  MEDIUM(2, 7600),
  LARGE(4, 15200);

  private final int vcpus;
  private final int memoryMib;

  JobSize(int vcpus, int memoryMib) {
    this.vcpus = vcpus;
    this.memoryMib = memoryMib;
  }

  public int vcpus() {
    return vcpus;
  }

  public int memoryMib() {
    return memoryMib;
  }

  public String queue() {
    return "observes_" + name().toLowerCase(Locale.ROOT);
  }
}
