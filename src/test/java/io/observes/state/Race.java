package io.observes.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Contenders started together behind a barrier (no sleeps); what each one ended with. */
final class Race {
  /** A contender's outcome: null when it succeeded, else what it threw. */
  interface Contender {
    void run(int id) throws Exception;
  }

  private Race() {}

  static List<Throwable> run(int n, Contender contender) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier start = new CyclicBarrier(n);
      List<Future<Void>> outcomes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        Callable<Void> task = () -> {
          start.await();
          contender.run(id);
          return null;
        };
        outcomes.add(pool.submit(task));
      }
      List<Throwable> thrown = new ArrayList<>();
      for (Future<Void> outcome : outcomes) {
        try {
          outcome.get();
          thrown.add(null);
        } catch (ExecutionException e) {
          thrown.add(e.getCause());
        }
      }
      return thrown;
    } finally {
      pool.shutdownNow();
    }
  }
}
