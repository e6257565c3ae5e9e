package io.observes.cli;

import io.observes.batch.BatchSubmitter;
import io.observes.batch.JobCatalogue;
import io.observes.config.ConfigException;
import io.observes.pipeline.RunId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.batch.BatchClient;

/** {@code observes batch}: Observes on AWS Batch. */
@Command(name = "batch", mixinStandardHelpOptions = true, description = "Submit catalogue jobs to AWS Batch.",
    subcommands = {BatchCommand.Submit.class})
final class BatchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command; see 'observes batch --help'");
  }

  /** Submits one job (with the jobs that depend on it) under one run id. */
  static List<BatchSubmitter.Outcome> submitChain(CommandLine.Model.CommandSpec spec, CatalogueOptions catalogueOptions,
      String job, String runId) {
    CommandContext context = CommandContext.of(spec);
    JobCatalogue catalogue = catalogueOptions.catalogue();
    if (catalogue.job(job).isEmpty()) {
      throw new ConfigException("no job named '" + job + "' in the catalogue; known: "
          + catalogue.jobs().stream().map(j -> j.name()).toList());
    }
    RunId run = runId == null ? RunId.startingAt(context.clock().instant()) : DynamoCommand.runId(runId);
    BatchClient client = catalogueOptions.client(context);
    try {
      return CatalogueOptions.submitter(client, catalogue, spec.commandLine().getOut(), catalogueOptions.dryRun)
          .submitChain(job, run.value());
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Submit a catalogue job, and the jobs that depend on it as a dependsOn chain, with one run id.")
  static final class Submit implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin CatalogueOptions catalogue;

    @Parameters(index = "0", description = "Job name in the catalogue, e.g. dynamo-phase1.")
    String job;

    @Option(names = "--run-id", description = "Run id for every job of the chain (default: from the time).")
    String runId;

    @Override
    public Integer call() {
      submitChain(spec, catalogue, job, runId);
      return 0;
    }
  }
}
