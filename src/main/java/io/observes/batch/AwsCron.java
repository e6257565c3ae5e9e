package io.observes.batch;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AWS schedule expression {@code cron(minutes hours day-of-month month day-of-week year)}:
 * {@code ?}, {@code L}, {@code W}, {@code #}, ranges, steps, names; days of the week 1-7 from
 * Sunday, exactly one of the two day fields is {@code ?}. Parsed by cron-utils with AWS's definition.
 */
public final class AwsCron {
  private static final Pattern WRAPPED = Pattern.compile("cron\\((.+)\\)");
  private static final CronDefinition AWS = CronDefinitionBuilder.defineCron()
      .withMinutes().withValidRange(0, 59).and()
      .withHours().withValidRange(0, 23).and()
      .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark().and()
      .withMonth().withValidRange(1, 12).and()
      .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL().supportsQuestionMark().and()
      .withYear().withValidRange(1970, 2199).and()
      .withCronValidation(com.cronutils.model.definition.CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
      .instance();
  private static final CronParser PARSER = new CronParser(AWS);

  private final String expression;
  private final ExecutionTime execution;

  private AwsCron(String expression, Cron cron) {
    this.expression = expression;
    this.execution = ExecutionTime.forCron(cron);
  }

  /** Parses {@code cron(...)}; the message of a failure says what AWS expects. */
  public static AwsCron parse(String expression) {
    Matcher m = WRAPPED.matcher(expression.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + expression + "' is not an AWS cron expression: write cron(minutes hours "
          + "day-of-month month day-of-week year), e.g. cron(0 3 ? * 2-6 *)");
    }
    String fields = m.group(1).trim();
    if (fields.split("\\s+").length != 6) {
      throw new IllegalArgumentException("'" + expression + "' needs 6 fields (minutes hours day-of-month month day-of-week year)");
    }
    try {
      return new AwsCron(expression, PARSER.parse(fields));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + expression + "' is not a valid AWS cron expression: " + e.getMessage(), e);
    }
  }

  /** Whether the schedule fires at some minute of the hour that starts at {@code hour}. */
  public boolean firesDuringHour(ZonedDateTime hour) {
    ZonedDateTime start = hour.truncatedTo(ChronoUnit.HOURS);
    Optional<ZonedDateTime> next = execution.nextExecution(start.minusNanos(1));
    return next.isPresent() && next.get().isBefore(start.plusHours(1));
  }

  @Override
  public String toString() {
    return expression;
  }
}
