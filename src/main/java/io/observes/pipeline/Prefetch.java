package io.observes.pipeline;

import io.observes.pipeline.value.ValueSize;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a source on its own thread while the caller flattens and stages, with the records in
 * between bounded by their estimated size in bytes, not by count: memory stays within the budget
 * however large the source or its records are. Any source failure (an Error too) reaches the reader;
 * closing the returned stream stops the source.
 *
 * <p>How far ahead it reads adapts to the source. It starts with a window of {@link #NEAR_KIB}: a
 * source that keeps up (a file, a stream being unzipped and parsed) needs no more, and records read
 * further ahead are flattened out of the core's cache and copied by every young collection while
 * they wait (on one core, 4 MiB ahead cost the stage step over a third more CPU time than 256 KiB:
 * docs/performance.md). Each time the reader waits while the source's thread is asleep in the source
 * (a page fetched over the network, as a DynamoDB scan reads them, or a read rate limit) for
 * {@link #STALL_MILLIS} or more, the window doubles, up to the budget, so that the next fetch
 * overlaps with staging what was read before it. A source thread that is only slow to get the core
 * (other processes, a loaded machine) widens nothing: more records waiting would not make it
 * faster. The source thread is woken when half the window is free, not for every record taken.
 */
public final class Prefetch implements Iterator<SourceRecord> {
  /** The read-ahead window to start with, in KiB. */
  static final int NEAR_KIB = 256;

  /** How long the source's thread must be seen asleep while the reader waits for the window to widen. */
  static final int STALL_MILLIS = 2;

  private static final Object END = new Object();
  private static final int KIB = 1024;

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final int budgetKib;
  private final Thread producer;
  /** The source's thread as Linux sees it; empty until it has started, or without /proc. */
  private volatile Optional<NativeThread> producerState = Optional.empty();
  /** Whether the source's thread is in the source (not waiting for the window, not handing a record over). */
  private volatile boolean inSource;
  /** Guards the window's counts below. */
  private final Object window = new Object();
  private int windowKib;
  private int inFlightKib;
  private int peakKib;
  private boolean producerWaiting;
  private boolean delivered;
  private Object next;

  private record Item(SourceRecord record, int kib) {}

  private record Failure(Throwable error) {}

  private Prefetch(Stream<SourceRecord> source, long budgetBytes, String name) {
    budgetKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / KIB));
    windowKib = Math.min(NEAR_KIB, budgetKib);
    producer = new Thread(() -> produce(source), name);
    producer.setDaemon(true);
  }

  /** {@code source} read ahead on a thread named {@code name}, within {@code budgetBytes}. */
  public static Stream<SourceRecord> of(Stream<SourceRecord> source, long budgetBytes, String name) {
    return of(source, budgetBytes, name, window -> { });
  }

  /** As {@link #of(Stream, long, String)}, telling {@code windowKib} how far ahead it read last, once closed. */
  public static Stream<SourceRecord> of(Stream<SourceRecord> source, long budgetBytes, String name, IntConsumer windowKib) {
    Objects.requireNonNull(windowKib, "windowKib");
    Prefetch prefetch = start(source, budgetBytes, name);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(prefetch, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(() -> {
          prefetch.stop();
          windowKib.accept(prefetch.windowKib());
        });
  }

  static Prefetch start(Stream<SourceRecord> source, long budgetBytes, String name) {
    Objects.requireNonNull(source, "source");
    Prefetch prefetch = new Prefetch(source, budgetBytes, name);
    prefetch.producer.start();
    return prefetch;
  }

  private void produce(Stream<SourceRecord> source) {
    producerState = NativeThread.current();
    try (source) {
      Iterator<SourceRecord> records = source.iterator();
      while (true) {
        inSource = true;
        boolean more = records.hasNext();
        SourceRecord record = more ? records.next() : null;
        inSource = false;
        if (!more) {
          break;
        }
        // A record larger than the whole budget still passes, alone.
        int kib = (int) Math.min(budgetKib, Math.max(1, ValueSize.estimate(record.value()) / KIB));
        take(kib);
        queue.put(new Item(record, kib));
      }
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      // Any failure, an Error too, must reach the reader: otherwise it waits for END forever.
      queue.add(new Failure(e));
    }
  }

  /** Takes {@code kib} of the window, waiting while it is full; a record larger than the window passes alone. */
  private void take(int kib) throws InterruptedException {
    synchronized (window) {
      if (inFlightKib > 0 && inFlightKib + kib > windowKib) {
        // Then wait for the reader to free half the window: one wake-up per half window, not per record.
        producerWaiting = true;
        try {
          while (inFlightKib > 0 && (inFlightKib + kib > windowKib || inFlightKib > windowKib / 2)) {
            window.wait();
          }
        } finally {
          producerWaiting = false;
        }
      }
      inFlightKib += kib;
      peakKib = Math.max(peakKib, inFlightKib);
    }
  }

  private void give(int kib) {
    synchronized (window) {
      inFlightKib -= kib;
      if (producerWaiting && inFlightKib <= windowKib / 2) {
        window.notifyAll();
      }
    }
  }

  /**
   * The next item, waiting for the source. The source's thread seen asleep in the source
   * {@link #STALL_MILLIS} + 1 times in a row, a millisecond apart, with no garbage collection in
   * between (it stops every thread), waits for the source, and the window widens (once per wait). Without /proc, a wait that long is taken for one. The first record
   * may wait for the source to open, which says nothing of its fetches.
   */
  private Object awaitItem() throws InterruptedException {
    Object item = queue.poll();
    if (item != null) {
      return item;
    }
    if (!delivered) {
      return queue.take();
    }
    int asleep = 0;
    long collections = 0;
    boolean widened = false;
    while ((item = queue.poll(1, TimeUnit.MILLISECONDS)) == null) {
      Optional<NativeThread> state = producerState;
      if (inSource && (state.isEmpty() || state.get().asleep())) {
        long now = collections();
        asleep = asleep > 0 && now == collections ? asleep + 1 : 1;
        collections = now;
      } else {
        asleep = 0;
      }
      if (!widened && asleep > STALL_MILLIS) {
        widened = true;
        synchronized (window) {
          windowKib = (int) Math.min(budgetKib, 2L * windowKib);
        }
      }
    }
    return item;
  }

  private static long collections() {
    long count = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
    }
    return count;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        next = awaitItem();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the source", e);
      }
    }
    if (next instanceof Failure failure) {
      if (failure.error() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("reading the source failed: " + failure.error().getMessage(), failure.error());
    }
    return next != END;
  }

  @Override
  public SourceRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Item item = (Item) next;
    next = null;
    delivered = true;
    give(item.kib());
    return item.record();
  }

  /** The most KiB of records that were waiting at once; never above the budget. */
  long peakKib() {
    synchronized (window) {
      return peakKib;
    }
  }

  /** How far ahead the source is read now, in KiB. */
  int windowKib() {
    synchronized (window) {
      return windowKib;
    }
  }

  int budgetKib() {
    return budgetKib;
  }

  void stop() {
    producer.interrupt();
  }
}
