package io.observes.etl.code;

import io.observes.http.ApiClient;
import io.observes.pipeline.RunId;
import io.observes.pipeline.RunLog;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.CodeCommit;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The code ETL's billing job (LEGACY.md §7): a month's active authors per group, from
 * {@code code.commits}, with each group's organization from the platform, written as one CSV per
 * group to the platform's bucket.
 */
public final class ComputeBills {
  /** Where the bills go and where the commits are. */
  public record Settings(String bucket, String prefix, String codeSchema) {
    public Settings {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(codeSchema, "codeSchema");
    }
  }

  /** What a run billed, and where. */
  public record Result(YearMonth month, List<S3Uri> folders, List<Bill> bills) {
    public int lines() {
      return bills.stream().mapToInt(b -> b.lines().size()).sum();
    }

    public List<String> summary() {
      return bills.stream().map(b -> b.group() + ": " + b.lines().size() + " active author(s)").toList();
    }
  }

  private final WarehouseClient warehouse;
  private final ObjectStore store;
  private final ApiClient platform;
  private final Settings settings;
  private final Clock clock;

  public ComputeBills(WarehouseClient warehouse, ObjectStore store, ApiClient platform, Settings settings, Clock clock) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.store = Objects.requireNonNull(store, "store");
    this.platform = Objects.requireNonNull(platform, "platform");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Bills {@code month} (the current one when empty); with {@code dryRun} computes them and writes nothing. */
  public Result run(Optional<YearMonth> month, RunId run, boolean dryRun) {
    if (dryRun) {
      return compute(month, run, false);
    }
    return new RunLog(warehouse, clock).phase("compute-bills", run, "bills", null,
        () -> new RunLog.Outcome<>(compute(month, run, true), List.of()));
  }

  private Result compute(Optional<YearMonth> month, RunId run, boolean write) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    YearMonth billed = month.orElse(YearMonth.from(today));
    Set<String> groups = warehouse.activeGroups(settings.codeSchema(), billed);
    List<CodeCommit> commits = warehouse.commitsFirstSeenIn(settings.codeSchema(), billed);
    Organizations organizations = new Organizations(platform);
    List<Bill> bills = Bills.of(groups, commits, organizations::of);
    BillFiles files = new BillFiles(store, settings.bucket(), settings.prefix());
    List<S3Uri> folders = files.folders(billed, billed.equals(YearMonth.from(today)) ? Optional.of(today) : Optional.empty());
    if (write) {
      files.publish(folders, bills, billed, run.value(), clock.instant());
    }
    return new Result(billed, folders, bills);
  }
}
