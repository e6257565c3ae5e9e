package io.observes.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** A look-back like {@code 7d}, {@code 12h} or {@code 30m}, or a usage error saying the form. */
final class SinceOption {
  private static final Pattern FORM = Pattern.compile("(\\d{1,5})([dhm])");

  private SinceOption() {}

  static Duration parse(CommandLine.Model.CommandSpec spec, String option, String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a number of days, hours or minutes like "
          + "7d, 12h or 30m, was '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
