package io.observes.pipeline.stage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Compresses on a thread of its own what the writer fills: CSV buffers are handed over with the
 * compressing stream they belong to and compressed in the order given, so each stream receives its bytes
 * in order, while the writer goes on flattening and encoding. A bounded pool of buffers keeps the
 * bytes in flight small; the first failure is rethrown to the writer.
 */
final class Compressor implements AutoCloseable {
  static final int BUFFER = 1 << 16;

  /** A step for the compressor thread: write a buffer to a stream, or close it and run {@code after}. */
  private record Job(OutputStream stream, byte[] buffer, int length, Runnable after) {}

  private static final Job END = new Job(null, null, 0, null);

  private final BlockingQueue<Job> jobs;
  private final BlockingQueue<byte[]> free;
  private final Thread thread;
  private volatile RuntimeException failure;

  Compressor(int buffers, String name) {
    this.jobs = new ArrayBlockingQueue<>(buffers + 64);
    this.free = new ArrayBlockingQueue<>(buffers);
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[BUFFER]);
    }
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    try {
      for (Job job = jobs.take(); job != END; job = jobs.take()) {
        if (failure == null) {
          try {
            if (job.buffer() != null) {
              job.stream().write(job.buffer(), 0, job.length());
            } else {
              job.stream().close();
              job.after().run();
            }
          } catch (IOException e) {
            failure = new java.io.UncheckedIOException("could not compress a staged part: " + e.getMessage(), e);
          } catch (RuntimeException e) {
            failure = e;
          }
        }
        if (job.buffer() != null) {
          free.add(job.buffer());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An empty buffer to fill; waits while every buffer is in flight. */
  byte[] buffer() {
    rethrow();
    try {
      byte[] buffer;
      while ((buffer = free.poll(1, TimeUnit.SECONDS)) == null) {
        rethrow();
        alive();
      }
      return buffer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a buffer", e);
    }
  }

  /** Compresses {@code length} bytes of {@code buffer} into {@code stream}; the buffer comes back to the pool. */
  void write(OutputStream stream, byte[] buffer, int length) {
    put(new Job(stream, buffer, length, null));
  }

  /** Closes {@code stream} after everything handed over for it, then runs {@code after} (on the compressor's thread). */
  void close(OutputStream stream, Runnable after) {
    put(new Job(stream, null, 0, after));
  }

  private void put(Job job) {
    rethrow();
    try {
      while (!jobs.offer(job, 1, TimeUnit.SECONDS)) {
        rethrow();
        alive();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing over a buffer", e);
    }
  }

  private void alive() {
    if (!thread.isAlive()) {
      throw new IllegalStateException("the compressor stopped");
    }
  }

  /** Waits until everything handed over is compressed (and every close has run); throws the first failure. */
  void finish() {
    try {
      jobs.put(END);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the compression", e);
    }
    rethrow();
  }

  private void rethrow() {
    if (failure != null) {
      throw failure;
    }
  }

  /** Stops (a failed stage) and waits, for a bounded time, until no part file is written any more. */
  @Override
  public void close() {
    StageThreads.stop(thread);
  }
}
