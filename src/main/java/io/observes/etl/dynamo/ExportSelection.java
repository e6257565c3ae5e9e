package io.observes.etl.dynamo;

import io.observes.config.ConfigException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What phase1 of a run reads: the live table (scan) or an export, and which export. The choice is
 * the run's, not the segment's: the first segment pins the export to the run ({@link RunExportPin})
 * and every later one reads that same export, so one refresh is one snapshot.
 */
public final class ExportSelection {
  /** Where phase1 reads the table from. */
  public enum Mode { SCAN, EXPORT }

  private ExportSelection() {}

  /**
   * The mode: the flag, else {@code OBSERVES_DYNAMO_SOURCE}, else export when the run already has an
   * export pinned ({@code observes etl dynamo export} of the same run id pins it), else scan.
   */
  public static Mode mode(Optional<String> flag, Optional<String> environment, RunExportPin pin) {
    Optional<String> given = flag.or(() -> environment.filter(v -> !v.isBlank()));
    if (given.isEmpty()) {
      return pin.read().isPresent() ? Mode.EXPORT : Mode.SCAN;
    }
    try {
      return Mode.valueOf(given.get().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("the dynamo source is 'scan' or 'export', not '" + given.get()
          + "' (--source / OBSERVES_DYNAMO_SOURCE)");
    }
  }

  /** A scan may not join a run that reads an export: its segments would hold two snapshots. */
  public static void requireNoExport(RunExportPin pin, String run) {
    pin.read().ifPresent(export -> {
      throw new ConfigException("run " + run + " reads export " + export.arn() + " (pinned at " + pin.uri() + "); a scanned "
          + "segment would mix the live table into that snapshot: run phase1 with --source export, or give the scan "
          + "its own run id");
    });
  }

  /**
   * The export the run reads: the one named ({@code --export-id}), else the one pinned to the run,
   * else the last one recorded in the state; pinned to the run if it was not yet.
   */
  public static TableExport forRun(RunExportPin pin, String run, Optional<TableExport> named,
      Supplier<Optional<TableExport>> recorded, String stateWhere) {
    Optional<TableExport> pinned = pin.read();
    TableExport chosen;
    if (named.isPresent()) {
      chosen = named.get();
    } else if (pinned.isPresent()) {
      return pinned.get();
    } else {
      chosen = recorded.get().orElseThrow(() -> new ConfigException("no export to read for run " + run + ": none is "
          + "pinned to the run and none is recorded in " + stateWhere + "; run 'observes etl dynamo export' first, "
          + "or pass --export-id"));
    }
    TableExport held = pinned.orElseGet(() -> pin.pin(chosen));
    if (!held.arn().equals(chosen.arn())) {
      if (named.isPresent()) {
        throw new ConfigException("run " + run + " reads export " + held.arn() + " (pinned at " + pin.uri() + "), not "
            + chosen.arn() + ": every segment of a run reads one export; give export " + chosen.id() + " its own run id");
      }
      // Another segment pinned another export first (a newer one was recorded meanwhile): the run's is the pinned one.
    }
    return held;
  }
}
