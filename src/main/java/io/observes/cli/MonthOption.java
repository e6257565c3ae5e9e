package io.observes.cli;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** A {@code --month YYYY-MM} option's value, or a usage error saying the form. */
final class MonthOption {
  private MonthOption() {}

  static YearMonth parse(CommandLine.Model.CommandSpec spec, String text) {
    try {
      return YearMonth.parse(text);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--month must be YYYY-MM, was '" + text + "'");
    }
  }
}
