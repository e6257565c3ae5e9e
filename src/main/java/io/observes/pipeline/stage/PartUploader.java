package io.observes.pipeline.stage;

import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Uploads finished parts on a thread of its own while the next ones are written, then deletes the
 * local file. At most {@code queued} parts wait, so local disk stays bounded; the first failure is
 * rethrown to the writer at its next part or at {@link #finish}.
 */
final class PartUploader implements AutoCloseable {
  private record Upload(S3Uri uri, Path file) {}

  private static final Upload END = new Upload(null, null);

  private final ObjectStore store;
  private final BlockingQueue<Upload> queue;
  private final Thread thread;
  private volatile RuntimeException failure;

  PartUploader(ObjectStore store, int queued, String name) {
    this.store = store;
    this.queue = new ArrayBlockingQueue<>(queued);
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    try {
      for (Upload upload = queue.take(); upload != END; upload = queue.take()) {
        if (failure == null) {
          try {
            store.put(upload.uri(), upload.file());
          } catch (RuntimeException e) {
            failure = e;
          }
        }
        delete(upload.file());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void submit(S3Uri uri, Path file) {
    rethrow();
    try {
      while (!queue.offer(new Upload(uri, file), 1, TimeUnit.SECONDS)) {
        rethrow();
        if (!thread.isAlive()) {
          throw new IllegalStateException("the part uploader stopped");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing the upload of " + uri, e);
    }
  }

  /** Waits for every queued upload; throws the first failure. */
  void finish() {
    try {
      queue.put(END);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the uploads", e);
    }
    rethrow();
  }

  private void rethrow() {
    if (failure != null) {
      throw failure;
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // swept with the work directory
    }
  }

  /**
   * Stops (a failed stage): queued parts are dropped with the work directory. Waits, for a bounded
   * time, until the thread has let go of the part in hand, so that the work directory is swept after
   * the last file it deletes, not while.
   */
  @Override
  public void close() {
    StageThreads.stop(thread);
  }
}
