package io.observes.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command line as an alert may show it: every command word and option name, but an option's
 * value only when the option is on {@link #SHOWN}. An alert goes to a channel many people read, and
 * a value can be a secret in a way no pattern sees (a URL with a key in an odd parameter, a token
 * pasted into the wrong flag), so values are hidden unless known safe; an option added later is
 * hidden until someone decides it is safe.
 */
final class AlertCommandLine {
  /** What a hidden value is replaced by. */
  static final String HIDDEN = "[hidden]";

  /**
   * Options (and positional parameters, by label) whose values are shown: the identifiers a person
   * needs to retry or find the run (segments, run ids, months, times, names of jobs, queues,
   * projects, schemas and tables). Never URLs, paths, free text or numbers nobody retries with.
   */
  static final Set<String> SHOWN = Set.of("--segment", "--total-segments", "--run-id", "--month", "--project", "--job",
      "--since", "--status", "--at", "--zone", "--queue", "--table", "--target-schema", "--warehouse-dialect", "<job>");

  private AlertCommandLine() {}

  /** The words after {@code observes}, as the alert shows them. */
  static String of(CommandLine.ParseResult parsed) {
    List<String> words = new ArrayList<>();
    for (CommandLine.ParseResult command = parsed; command != null;
        command = command.hasSubcommand() ? command.subcommand() : null) {
      if (command != parsed) {
        words.add(command.commandSpec().name());
      }
      for (OptionSpec option : new LinkedHashSet<>(command.matchedOptions())) {
        String name = option.longestName();
        if (option.arity().max() == 0) {
          words.add(name);
          continue;
        }
        List<String> values = option.originalStringValues().isEmpty() ? List.of("") : option.originalStringValues();
        for (String value : values) {
          words.add(name);
          words.add(SHOWN.contains(name) ? value : HIDDEN);
        }
      }
      for (PositionalParamSpec positional : command.matchedPositionals()) {
        boolean shown = SHOWN.contains(positional.paramLabel());
        positional.originalStringValues().forEach(v -> words.add(shown ? v : HIDDEN));
      }
    }
    return String.join(" ", words);
  }
}
