package io.observes.cli;

import io.observes.config.Environment;
import io.observes.http.RetrySettings;
import io.observes.secrets.SecretsFile;
import io.observes.secrets.SecretsLocation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: every ETL and job of Observes is a subcommand. */
@Command(
    name = "observes",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Observes: extracts data from the company's services, turns it into relational tables and loads it",
      "into the warehouse (Redshift in production, PostgreSQL locally).",
      "",
      "Configuration comes from flags and environment variables; secrets from the environment, else from the",
      "sops-encrypted secrets file (--secrets, OBSERVES_SECRETS_FILE, or secrets.enc.yaml here); see README.md."
    },
    subcommands = {EtlCommand.class, JobCommand.class, BatchCommand.class, DemoCommand.class, RunsCommand.class,
        ReportCommand.class, CheckCommand.class, ProfileCommand.class, WarehouseCommand.class, SecretsCommand.class,
        AutoComplete.GenerateCompletion.class},
    footer = {"", "Exit codes: 0 ok, 1 job failed, 2 usage or configuration error."})
public final class ObservesCommand implements Runnable, CommandContext {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--secrets", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
      description = "The sops-encrypted secrets file (a path or s3://bucket/key); default: OBSERVES_SECRETS_FILE, "
          + "else secrets.enc.yaml in the working directory when there is one. The environment wins over it.")
  String secretsFile;

  @CommandLine.Option(names = "--warehouse-dialect", paramLabel = "DIALECT", scope = CommandLine.ScopeType.INHERIT,
      description = "redshift or postgresql; default: OBSERVES_WAREHOUSE_DIALECT, else the warehouse URL's. redshift with a "
          + "jdbc:postgresql:// URL rehearses a Redshift deployment: Redshift's SQL, PostgreSQL refusing what Redshift refuses.")
  String warehouseDialect;

  private final Environment variables;
  private final Clock clock;
  private final RetrySettings retries;
  private final Optional<Path> defaultSecrets;
  private Environment environment;
  private Optional<SecretsFile> secrets;

  public ObservesCommand(Environment environment, Clock clock) {
    this(environment, clock, RetrySettings.DEFAULT, Optional.empty());
  }

  /** {@code defaultSecrets}: the secrets file read when none is named (the jar: secrets.enc.yaml; tests: none). */
  public ObservesCommand(Environment environment, Clock clock, RetrySettings retries, Optional<Path> defaultSecrets) {
    this.variables = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retries = Objects.requireNonNull(retries, "retries");
    this.defaultSecrets = Objects.requireNonNull(defaultSecrets, "defaultSecrets");
  }

  /** The secrets file in use, if any (resolved on first use, after the command line is parsed). */
  synchronized Optional<SecretsFile> secrets() {
    if (secrets == null) {
      // The file supplies the catalogue's secrets and nothing else (SecretsFile#limitedTo says why).
      secrets = SecretsLocation.resolve(variables, Optional.ofNullable(secretsFile), defaultSecrets)
          .map(f -> f.limitedTo(catalogueSecrets()));
    }
    return secrets;
  }

  /** Every secret a job of the bundled catalogue names: what the secrets file may supply. */
  static Set<String> catalogueSecrets() {
    Set<String> names = new TreeSet<>();
    CatalogueOptions.load(null).jobs().forEach(job -> names.addAll(job.secrets()));
    return names;
  }

  @Override
  public RetrySettings retries() {
    return retries;
  }

  /** The variables, with the secrets file (if any) behind them. */
  @Override
  public synchronized Environment environment() {
    if (environment == null) {
      Environment withFlags = warehouseDialect == null ? variables : variables.with("OBSERVES_WAREHOUSE_DIALECT", warehouseDialect);
      environment = secrets().map(f -> withFlags.withSecrets(f)).orElse(withFlags);
    }
    return environment;
  }

  /** The process environment only, for what must not read the secrets file (which of its names are set). */
  Environment variables() {
    return variables;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command; see 'observes --help'");
  }
}
