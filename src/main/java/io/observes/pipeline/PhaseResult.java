package io.observes.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * What a phase produced and, when it found its work for the run already done (a retried Batch job, a
 * rerun by hand), what it found: such a rerun succeeds and says so instead of doing the work again.
 */
public record PhaseResult<T>(T value, Optional<String> alreadyDone) {
  public PhaseResult {
    Objects.requireNonNull(alreadyDone, "alreadyDone");
  }

  public static <T> PhaseResult<T> done(T value) {
    return new PhaseResult<>(value, Optional.empty());
  }

  public static <T> PhaseResult<T> alreadyDone(T value, String what) {
    return new PhaseResult<>(value, Optional.of(what));
  }
}
