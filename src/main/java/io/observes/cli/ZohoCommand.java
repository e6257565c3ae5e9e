package io.observes.cli;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.etl.zoho.ZohoApi;
import io.observes.etl.zoho.ZohoLoadSource;
import io.observes.etl.zoho.ZohoPrepareSource;
import io.observes.http.ApiClient;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.text.PrintableWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code observes etl zoho}: {@code prepare} asks Zoho CRM for a bulk read of every module,
 * {@code load} loads their results into {@code zoho_crm} (LEGACY.md §5).
 */
@Command(name = "zoho", mixinStandardHelpOptions = true,
    description = {"Zoho CRM's 16 modules and its users, by bulk read. OAuth: OBSERVES_ZOHO_CLIENT_ID, OBSERVES_ZOHO_CLIENT_SECRET,",
        "OBSERVES_ZOHO_REFRESH_TOKEN; data centre OBSERVES_ZOHO_DC (com, eu, in, com.au, jp, ca, sa)."},
    subcommands = {ZohoCommand.Prepare.class, ZohoCommand.Load.class})
final class ZohoCommand implements Runnable {
  static final String SCHEMA = "zoho_crm";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name prepare or load; see 'observes etl zoho --help'");
  }

  static ApiClient api(CommandContext context) {
    return ZohoApi.client(context.environment(), context.retries(), ApiClient.defaultHttpClient(), context.clock());
  }

  @Command(name = "prepare", mixinStandardHelpOptions = true,
      description = "Refresh the state of the stored bulk read jobs; create one for every module without a live one.")
  static final class Prepare implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      CommandContext context = CommandContext.of(spec);
      try (ApiEtl etl = new ApiEtl(context.environment(), context.clock())) {
        ApiEtlOutput.run(etl, new ZohoPrepareSource(api(context)), SCHEMA, false, PrintableWriter.of(spec.commandLine().getOut()));
      }
      return 0;
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = {"Load every module's COMPLETED bulk read (all its pages) and the users into zoho_crm, replaced together.",
          "Pending next pages are awaited: OBSERVES_ZOHO_POLL_SECONDS (default 30), OBSERVES_ZOHO_WAIT_MINUTES (default 60)."})
  static final class Load implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dry-run", description = "Read and stage, print what would be loaded; touch neither the warehouse nor the state "
        + "(the bulk reads of further pages are still created in Zoho).")
    boolean dryRun;

    @Override
    public Integer call() {
      CommandContext context = CommandContext.of(spec);
      Environment env = context.environment();
      int poll = env.integer("OBSERVES_ZOHO_POLL_SECONDS").orElse(30);
      int wait = env.integer("OBSERVES_ZOHO_WAIT_MINUTES").orElse(60);
      if (poll < 0 || wait < 1) {
        throw new ConfigException("OBSERVES_ZOHO_POLL_SECONDS must be 0 or more and OBSERVES_ZOHO_WAIT_MINUTES at least 1");
      }
      ZohoLoadSource source = new ZohoLoadSource(api(context),
          new ZohoLoadSource.Waiting(Duration.ofSeconds(poll), Duration.ofMinutes(wait)), SegmentStager.Settings.from(env).workDir());
      try (ApiEtl etl = new ApiEtl(env, context.clock())) {
        ApiEtlOutput.run(etl, source, SCHEMA, dryRun, PrintableWriter.of(spec.commandLine().getOut()));
      }
      return 0;
    }
  }
}
