package io.observes.cli;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Buckets;
import io.observes.config.Environment;
import io.observes.etl.timedoctor.TimeDoctorApi;
import io.observes.etl.timedoctor.TimeDoctorBackup;
import io.observes.etl.timedoctor.TimeDoctorBackups;
import io.observes.etl.timedoctor.TimeDoctorSource;
import io.observes.http.ApiClient;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SourceRun;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.state.RunLease;
import io.observes.storage.S3ObjectStore;
import io.observes.text.PrintableWriter;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code observes etl timedoctor}: {@code backup} keeps a month of TimeDoctor in S3 (the API serves
 * only a few months back); {@code load} replaces schema {@code timedoctor} with every backed-up
 * month and the months since, read live (LEGACY.md §6).
 */
@Command(name = "timedoctor", mixinStandardHelpOptions = true,
    description = {"TimeDoctor worklogs and computer activity. Login: OBSERVES_TIMEDOCTOR_EMAIL, OBSERVES_TIMEDOCTOR_PASSWORD;",
        "API: OBSERVES_TIMEDOCTOR_URL (default https://api2.timedoctor.com/api/1.0)."},
    subcommands = {TimeDoctorCommand.Backup.class, TimeDoctorCommand.Load.class})
final class TimeDoctorCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name backup or load; see 'observes etl timedoctor --help'");
  }

  static ApiClient api(CommandContext context) {
    return TimeDoctorApi.client(context.environment(), context.retries(), ApiClient.defaultHttpClient(), context.clock());
  }

  static TimeDoctorBackups backups(Environment env, S3Client s3) {
    return new TimeDoctorBackups(new S3ObjectStore(s3), Buckets.from(env).data(), TimeDoctorBackups.PREFIX,
        SegmentStager.Settings.from(env).workDir());
  }

  @Command(name = "backup", mixinStandardHelpOptions = true,
      description = "Keep one month (default: the previous calendar month, UTC) in s3://<data bucket>/backup_timedoctor/, whole.")
  static final class Backup implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--month", description = "The month to back up, YYYY-MM (default: the previous one).")
    String month;

    @Option(names = "--replace", description = "Replace the month's backup even if this run reads fewer records of a "
        + "stream than it holds (TimeDoctor serves only a few months back: without it such a backup is refused).")
    boolean replace;

    @Override
    public Integer call() {
      CommandContext context = CommandContext.of(spec);
      Environment env = context.environment();
      ApiClient api = api(context);
      try (S3Client s3 = AwsClients.s3(AwsSettings.from(env))) {
        TimeDoctorBackup backup = new TimeDoctorBackup(api, backups(env, s3), context.clock());
        YearMonth target = month == null ? backup.previousMonth() : MonthOption.parse(spec, month);
        ReadProgress read = new ReadProgress();
        Map<String, Long> rows;
        String run = RunId.unique(context.clock().instant()).value();
        // The ETL's lease, which its load takes too: one backup of a month at a time, and none while a load reads them.
        try (RunLease lease = RunLease.acquire(new S3ObjectStore(s3), Buckets.from(env).state(), TimeDoctorSource.NAME,
            SourceRun.leaseHolder(env.get("AWS_BATCH_JOB_ID"), run), io.observes.pipeline.JobTimes.leaseTtl(env), context.clock());
            Progress progress = new Progress("timedoctor backup " + target, read)) {
          lease.tookOverFrom().ifPresent(h -> org.slf4j.LoggerFactory.getLogger(Backup.class).warn("backup {} took over "
              + "the lease of {} (held since {}, until {})", run, h.run(), h.acquiredAt(), h.expiresAt()));
          rows = JobRecording.record(env, context.clock(), "timedoctor-backup", "backup", read::activity,
              () -> backup.run(target, run, read, replace, lease),
              counts -> counts.entrySet().stream().map(e -> io.observes.warehouse.TableCounts.named(e.getKey(), e.getKey(),
                  e.getValue(), 0, 0, 0)).toList());
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--month: " + e.getMessage());
        }
        PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
        out.printf("Backed up TimeDoctor %s:%n", target);
        rows.forEach((stream, n) -> out.printf("  %-20s %,10d rows%n", stream, n));
        out.flush();
      }
      return 0;
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Replace the warehouse schema with every backed-up month and the months since, read live.")
  static final class Load implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dry-run", description = "Read and stage, print what would be loaded; touch neither the warehouse nor the state.")
    boolean dryRun;

    @Option(names = "--target-schema", defaultValue = "timedoctor", description = "Warehouse schema (default: ${DEFAULT-VALUE}).")
    String targetSchema;

    @Override
    public Integer call() {
      CommandContext context = CommandContext.of(spec);
      Environment env = context.environment();
      ApiClient api = api(context);
      try (S3Client s3 = AwsClients.s3(AwsSettings.from(env)); ApiEtl etl = new ApiEtl(env, context.clock())) {
        TimeDoctorSource source = new TimeDoctorSource(api, backups(env, s3), context.clock());
        ApiEtlOutput.run(etl, source, targetSchema, dryRun, PrintableWriter.of(spec.commandLine().getOut()));
      }
      return 0;
    }
  }

}
