package io.observes.pipeline;

import io.observes.pipeline.value.ValueSize;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a source on its own thread while the caller flattens and stages, with the records in
 * between bounded by their estimated size in bytes, not by count: memory stays within the budget
 * however large the source or its records are. Any source failure (an Error too) reaches the reader;
 * closing the returned stream stops the source.
 */
public final class Prefetch implements Iterator<SourceRecord> {
  private static final Object END = new Object();
  private static final int KIB = 1024;

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Semaphore budget;
  private final int budgetKib;
  private final AtomicLong inFlightKib = new AtomicLong();
  private final AtomicLong peakKib = new AtomicLong();
  private final Thread producer;
  private Object next;

  private record Item(SourceRecord record, int kib) {}

  private record Failure(Throwable error) {}

  private Prefetch(Stream<SourceRecord> source, long budgetBytes, String name) {
    budgetKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / KIB));
    budget = new Semaphore(budgetKib);
    producer = new Thread(() -> produce(source), name);
    producer.setDaemon(true);
  }

  /** {@code source} read ahead on a thread named {@code name}, within {@code budgetBytes}. */
  public static Stream<SourceRecord> of(Stream<SourceRecord> source, long budgetBytes, String name) {
    Prefetch prefetch = start(source, budgetBytes, name);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(prefetch, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(prefetch::stop);
  }

  static Prefetch start(Stream<SourceRecord> source, long budgetBytes, String name) {
    Objects.requireNonNull(source, "source");
    Prefetch prefetch = new Prefetch(source, budgetBytes, name);
    prefetch.producer.start();
    return prefetch;
  }

  private void produce(Stream<SourceRecord> source) {
    try (source) {
      Iterator<SourceRecord> records = source.iterator();
      while (records.hasNext()) {
        SourceRecord record = records.next();
        // A record larger than the whole budget still passes, alone.
        int kib = (int) Math.min(budgetKib, Math.max(1, ValueSize.estimate(record.value()) / KIB));
        budget.acquire(kib);
        peakKib.accumulateAndGet(inFlightKib.addAndGet(kib), Math::max);
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

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        next = queue.take();
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
    inFlightKib.addAndGet(-item.kib());
    budget.release(item.kib());
    return item.record();
  }

  /** The most KiB of records that were waiting at once; never above the budget. */
  long peakKib() {
    return peakKib.get();
  }

  int budgetKib() {
    return budgetKib;
  }

  void stop() {
    producer.interrupt();
  }
}
