package io.observes.batch;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** One catalogue file's fields read into a {@link JobSpec}, every problem noted as {@code file: field: reason}. */
record JobEntry(String file, Map<?, ?> doc, List<String> problems) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
  private static final Set<String> FIELDS = Set.of("name", "command", "schedule", "size", "nodes", "attempts",
      "timeout_minutes", "environment", "secrets", "sla_hours", "depends_on", "description", "run_log", "checks");

  Optional<JobSpec> job() {
    int before = problems.size();
    for (Object key : doc.keySet()) {
      if (!FIELDS.contains(String.valueOf(key))) {
        problems.add(file + ": " + key + ": unknown field (known: " + new java.util.TreeSet<>(FIELDS) + ")");
      }
    }
    String name = text("name", true);
    if (name != null && !NAME.matcher(name).matches()) {
      problems.add(file + ": name: '" + name + "' must be lower-case letters, digits and '-', starting with a letter");
    }
    List<String> command = list("command", true);
    String schedule = text("schedule", false);
    if (schedule != null) {
      try {
        AwsCron.parse(schedule);
      } catch (IllegalArgumentException e) {
        problems.add(file + ": schedule: " + e.getMessage());
      }
    }
    JobSize size = null;
    String sizeText = text("size", true);
    if (sizeText != null) {
      try {
        size = JobSize.valueOf(sizeText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(file + ": size: '" + sizeText + "' is not one of small, medium, large");
      }
    }
    int nodes = number("nodes", 1, 1, 1000);
    int attempts = number("attempts", 1, 1, 10);
    int timeout = number("timeout_minutes", 60, 1, 14 * 24 * 60);
    Map<String, String> environment = environment();
    List<String> secrets = list("secrets", false);
    secrets.stream().filter(s -> !ENV_NAME.matcher(s).matches())
        .forEach(s -> problems.add(file + ": secrets: '" + s + "' is not an environment variable name"));
    Integer sla = doc.containsKey("sla_hours") ? number("sla_hours", 0, 1, 24 * 366) : null;
    List<String> dependsOn = list("depends_on", false);
    Health health = health(name);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new JobSpec(name, command, schedule, size, nodes, attempts, timeout, environment, secrets, sla,
        dependsOn, health));
  }

  private String text(String field, boolean required) {
    Object value = doc.get(field);
    if (value == null) {
      if (required) {
        problems.add(file + ": " + field + ": missing");
      }
      return null;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      problems.add(file + ": " + field + ": must be text");
      return null;
    }
    return String.valueOf(value);
  }

  private int number(String field, int fallback, int min, int max) {
    return wholeNumber(doc, field, field, fallback, min, max);
  }

  private List<String> list(String field, boolean required) {
    Object value = doc.get(field);
    if (value == null) {
      if (required) {
        problems.add(file + ": " + field + ": missing");
      }
      return List.of();
    }
    if (!(value instanceof List<?> items) || (required && items.isEmpty())
        || items.stream().anyMatch(i -> i == null || i instanceof Map<?, ?> || i instanceof List<?>)) {
      problems.add(file + ": " + field + ": must be a " + (required ? "non-empty " : "") + "list of text");
      return List.of();
    }
    return items.stream().map(String::valueOf).toList();
  }

  /**
   * {@code run_log: {job, phase}} and {@code checks: {min_rows_fraction, median_of, max_rejected}} with the
   * profile limits ({@link ProfileLimits}) and their overrides per table ({@code tables:}), with defaults.
   */
  private Health health(String name) {
    Map<?, ?> log = mapping("run_log", Set.of("job", "phase"));
    Set<String> checkFields = new java.util.HashSet<>(Set.of("min_rows_fraction", "median_of", "max_rejected", "tables"));
    checkFields.addAll(ProfileLimits.FIELDS);
    Map<?, ?> checks = mapping("checks", checkFields);
    String logJob = log.get("job") == null ? name : String.valueOf(log.get("job"));
    Optional<String> phase = Optional.ofNullable(log.get("phase")).map(String::valueOf);
    double fraction = Health.MIN_ROWS_FRACTION;
    Object f = checks.get("min_rows_fraction");
    if (f != null) {
      if (f instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
        fraction = n.doubleValue();
      } else {
        problems.add(file + ": checks: min_rows_fraction: must be a number from 0 to 1, was '" + f + "'");
      }
    }
    int medianOf = wholeNumber(checks, "median_of", "checks: median_of", Health.MEDIAN_OF, 1, 365);
    int maxRejected = wholeNumber(checks, "max_rejected", "checks: max_rejected", (int) Health.MAX_REJECTED, 0, Integer.MAX_VALUE);
    ProfileLimits limits = ProfileLimits.read(checks, ProfileLimits.DEFAULTS, file + ": checks", problems);
    Map<String, ProfileLimits> tables = ProfileLimits.readTables(checks.get("tables"), limits, file + ": checks", problems);
    return new Health(logJob == null ? "unnamed" : logJob, phase, fraction, medianOf, maxRejected, limits, tables);
  }

  private Map<?, ?> mapping(String field, Set<String> keys) {
    Object value = doc.get(field);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(file + ": " + field + ": must be a mapping of " + new java.util.TreeSet<>(keys));
      return Map.of();
    }
    map.keySet().stream().filter(k -> !keys.contains(String.valueOf(k))).forEach(k -> problems.add(file + ": " + field
        + ": " + k + ": unknown (known: " + new java.util.TreeSet<>(keys) + ")"));
    return map;
  }

  /** {@code map}'s {@code field}, else {@code fallback}; a problem named {@code where} when out of range. */
  private int wholeNumber(Map<?, ?> map, String field, String where, int fallback, int min, int max) {
    Object value = map.get(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer n) || n < min || n > max) {
      problems.add(file + ": " + where + ": must be a whole number from " + min + " to " + max + ", was '" + value + "'");
      return fallback;
    }
    return n;
  }

  private Map<String, String> environment() {
    Object value = doc.get("environment");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(file + ": environment: must be a mapping of NAME: value");
      return Map.of();
    }
    Map<String, String> env = new TreeMap<>();
    map.forEach((k, v) -> {
      if (!ENV_NAME.matcher(String.valueOf(k)).matches()) {
        problems.add(file + ": environment: '" + k + "' is not an environment variable name");
      } else if (v instanceof Map<?, ?> || v instanceof List<?>) {
        problems.add(file + ": environment: " + k + ": must be text");
      } else {
        env.put(String.valueOf(k), String.valueOf(v));
      }
    });
    return env;
  }
}
