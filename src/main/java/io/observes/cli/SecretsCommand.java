package io.observes.cli;

import io.observes.batch.JobSpec;
import io.observes.config.ConfigException;
import io.observes.secrets.SecretsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code observes secrets list}: which secrets the jobs need, and where each comes from (names only). */
@Command(name = "secrets", mixinStandardHelpOptions = true,
    description = {"The secrets: from the environment, else from the sops-encrypted secrets file (docs/secrets.md)."},
    subcommands = {SecretsCommand.ListCommand.class})
final class SecretsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: list");
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"Every secret the catalogue's jobs name and every one the secrets file holds: where it comes from",
          "(the environment, the file, or missing) and which jobs need it. Never prints a value. Opens the file to",
          "check its key and MAC; exit 2 when it cannot be used or a secret a job needs is missing."})
  static final class ListCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--catalogue", description = "Job catalogue directory (default: the etl-jobs/ bundled in the jar).")
    Path catalogue;

    @Override
    public Integer call() {
      ObservesCommand root = (ObservesCommand) spec.root().userObject();
      PrintWriter out = spec.commandLine().getOut();
      Map<String, List<String>> needs = new TreeMap<>();
      for (JobSpec job : CatalogueOptions.load(catalogue).jobs()) {
        job.secrets().forEach(s -> needs.computeIfAbsent(s, k -> new ArrayList<>()).add(job.name()));
      }
      Optional<SecretsFile> file = root.secrets();
      String problem = null;
      if (file.isPresent()) {
        file.get().names().forEach(n -> needs.computeIfAbsent(n, k -> new ArrayList<>()));
        file.get().ignored().forEach(n -> needs.computeIfAbsent(n, k -> new ArrayList<>()));
        try {
          out.printf("secrets file %s: opened with %s, MAC verified%n", file.get().origin(), file.get().decrypt().via());
        } catch (ConfigException e) {
          problem = e.getMessage();
          out.printf("secrets file %s: cannot be used: %s%n", file.get().origin(), problem);
        }
      } else {
        out.println("no secrets file (--secrets, OBSERVES_SECRETS_FILE, or secrets.enc.yaml in the working directory)");
      }
      out.printf("%-34s %-26s %s%n", "SECRET", "FROM", "NEEDED BY");
      List<String> missing = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : needs.entrySet()) {
        String name = e.getKey();
        String from;
        if (root.variables().variable(name).isPresent()) {
          from = "environment";
        } else if (file.isPresent() && file.get().ignored().contains(name)) {
          from = "ignored (not in catalogue)";
        } else if (file.isPresent() && file.get().names().contains(name)) {
          from = problem != null ? "file (unreadable)" : kind(file.get(), name);
        } else {
          from = "missing";
        }
        if (!from.equals("environment") && !from.equals("file")) {
          if (!e.getValue().isEmpty()) {
            missing.add(name);
          }
        }
        out.printf("%-34s %-26s %s%n", name, from, e.getValue().isEmpty() ? "-" : String.join(", ", e.getValue()));
      }
      out.flush();
      if (problem != null) {
        throw new ConfigException("the secrets file " + file.get().origin() + " cannot be used: " + problem);
      }
      if (!missing.isEmpty()) {
        throw new ConfigException("missing secrets " + missing + ": set them in the environment or add them to the secrets "
            + "file with 'sops edit' (docs/secrets.md)");
      }
      return 0;
    }

    /** "file", or why the file's entry is not one usable value. */
    private static String kind(SecretsFile file, String name) {
      try {
        return file.find(name).filter(v -> !v.isBlank()).isPresent() ? "file" : "file (empty)";
      } catch (ConfigException e) {
        return "file (not one value)";
      }
    }
  }
}
