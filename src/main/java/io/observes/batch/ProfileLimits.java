package io.observes.batch;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the checks on a table's profiles tolerate: how far a column's NULL fraction may rise above the
 * median of the job's last {@code median_of} runs ({@code null_rate_drift}, a fraction of the rows);
 * how many times that median of rows a table may grow to ({@code max_growth_factor}); whether a
 * column may disappear (false: a dropped column fails; true: it warns, for a job that drops columns
 * on purpose); how many child rows may lack their parent ({@code max_orphans}).
 */
public record ProfileLimits(double nullRateDrift, double maxGrowthFactor, boolean dropsColumns, long maxOrphans) {
  /** A column going from always set to NULL in a fifth of its rows is a source that stopped sending it. */
  public static final double NULL_RATE_DRIFT = 0.2;
  /** A nightly refresh that triples a table is a duplicate read or a source replaying its history. */
  public static final double MAX_GROWTH_FACTOR = 3.0;
  public static final ProfileLimits DEFAULTS = new ProfileLimits(NULL_RATE_DRIFT, MAX_GROWTH_FACTOR, false, 0);
  static final Set<String> FIELDS = Set.of("null_rate_drift", "max_growth_factor", "drops_columns", "max_orphans");

  public ProfileLimits {
    if (nullRateDrift <= 0 || nullRateDrift > 1 || maxGrowthFactor <= 1 || maxOrphans < 0) {
      throw new IllegalArgumentException("need 0 < null_rate_drift <= 1, max_growth_factor > 1 and max_orphans >= 0");
    }
  }

  /**
   * The limits {@code map} sets over {@code base} (a catalogue's {@code checks:} or one of its
   * {@code tables:}); every bad value is noted in {@code problems} as {@code where: field: reason}.
   */
  static ProfileLimits read(Map<?, ?> map, ProfileLimits base, String where, List<String> problems) {
    double drift = base.nullRateDrift();
    Object d = map.get("null_rate_drift");
    if (d != null) {
      if (d instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 1) {
        drift = n.doubleValue();
      } else {
        problems.add(where + ": null_rate_drift: must be a number above 0 and at most 1 (a fraction of the rows), was '" + d + "'");
      }
    }
    double growth = base.maxGrowthFactor();
    Object g = map.get("max_growth_factor");
    if (g != null) {
      if (g instanceof Number n && n.doubleValue() > 1) {
        growth = n.doubleValue();
      } else {
        problems.add(where + ": max_growth_factor: must be a number above 1, was '" + g + "'");
      }
    }
    boolean drops = base.dropsColumns();
    Object dc = map.get("drops_columns");
    if (dc != null) {
      if (dc instanceof Boolean b) {
        drops = b;
      } else {
        problems.add(where + ": drops_columns: must be true or false, was '" + dc + "'");
      }
    }
    long orphans = base.maxOrphans();
    Object o = map.get("max_orphans");
    if (o != null) {
      if (o instanceof Integer n && n >= 0) {
        orphans = n;
      } else {
        problems.add(where + ": max_orphans: must be a whole number from 0, was '" + o + "'");
      }
    }
    return new ProfileLimits(drift, growth, drops, orphans);
  }

  /** {@code tables: {name: {...}}}: per table, its limits over the job's. */
  static Map<String, ProfileLimits> readTables(Object tables, ProfileLimits base, String where, List<String> problems) {
    if (tables == null) {
      return Map.of();
    }
    if (!(tables instanceof Map<?, ?> map)) {
      problems.add(where + ": tables: must be a mapping of table name to " + new TreeSet<>(FIELDS));
      return Map.of();
    }
    Map<String, ProfileLimits> limits = new java.util.TreeMap<>();
    map.forEach((name, value) -> {
      String at = where + ": tables: " + name;
      if (!(value instanceof Map<?, ?> fields)) {
        problems.add(at + ": must be a mapping of " + new TreeSet<>(FIELDS));
        return;
      }
      fields.keySet().stream().filter(k -> !FIELDS.contains(String.valueOf(k)))
          .forEach(k -> problems.add(at + ": " + k + ": unknown (known: " + new TreeSet<>(FIELDS) + ")"));
      limits.put(String.valueOf(name), read(fields, base, at, problems));
    });
    return limits;
  }
}
