package io.observes.batch;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * The legacy hourly tick: which catalogue jobs are due in a given hour. Each due job is submitted
 * with its chain of dependents; the time zone of the hour is explicit (AWS schedules are UTC).
 */
public final class JobScheduler {
  private final JobCatalogue catalogue;

  public JobScheduler(JobCatalogue catalogue) {
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
  }

  /** The jobs whose schedule fires during the hour that contains {@code at}, by name. */
  public List<JobSpec> due(ZonedDateTime at) {
    return catalogue.jobs().stream()
        .filter(job -> job.schedule() != null && AwsCron.parse(job.schedule()).firesDuringHour(at))
        .toList();
  }
}
