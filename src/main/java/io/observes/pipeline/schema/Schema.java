package io.observes.pipeline.schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data-schema of one target: its tables with names and typed columns, and so the mapping from
 * source paths to warehouse names. Schemas only grow: {@link #widen} adds tables and columns and
 * widens types along the lattice, and never renames what already has a name.
 */
public record Schema(List<TableSchema> tables) {
  /** Names no source table may take: the rejected-values table and the load bookkeeping table. */
  public static final String REJECTED_TABLE = "_rejected";

  public static final String LOADS_TABLE = "_observes_loads";

  public Schema {
    tables = List.copyOf(tables);
  }

  public static Schema empty() {
    return new Schema(List.of());
  }

  public Optional<TableSchema> table(TableKey key) {
    return tables.stream().filter(t -> t.key().equals(key)).findFirst();
  }

  public TableSchema require(TableKey key) {
    return table(key).orElseThrow(() -> new IllegalStateException("the schema has no table for " + key));
  }

  /**
   * This schema grown to hold everything {@code observed} describes: new tables and columns get
   * names, known columns get the least upper bound of their type and the observed one.
   */
  public Schema widen(Map<TableKey, Map<SourcePath, ColumnStats>> observed) {
    Map<TableKey, TableSchema> byKey = new LinkedHashMap<>();
    tables.forEach(t -> byKey.put(t.key(), t));
    Set<String> tableNames = new HashSet<>(List.of(LOADS_TABLE));
    tables.forEach(t -> tableNames.add(t.name()));

    List<TableKey> keys = new ArrayList<>(observed.keySet());
    keys.sort(Comparator.naturalOrder());
    for (TableKey key : keys) {
      if (!byKey.containsKey(key)) {
        ensureParents(key, byKey, tableNames);
        byKey.put(key, new TableSchema(key, tableName(key, byKey, tableNames), List.of()));
      }
      byKey.put(key, widenColumns(byKey.get(key), observed.get(key)));
    }
    return new Schema(new ArrayList<>(byKey.values()));
  }

  private static void ensureParents(TableKey key, Map<TableKey, TableSchema> byKey, Set<String> names) {
    if (!key.isRoot() && !byKey.containsKey(key.parent())) {
      ensureParents(key.parent(), byKey, names);
      byKey.put(key.parent(), new TableSchema(key.parent(), tableName(key.parent(), byKey, names), List.of()));
    }
  }

  private static String tableName(TableKey key, Map<TableKey, TableSchema> byKey, Set<String> taken) {
    String wanted;
    if (key.isRoot()) {
      wanted = key.stream().equals(REJECTED_TABLE) ? REJECTED_TABLE : Identifiers.clean(key.stream());
    } else {
      String parent = byKey.get(key.parent()).name();
      List<String> steps = key.path().stepsAfter(key.parent().path());
      wanted = parent + "__" + joinedName(steps.subList(0, steps.size() - 1));
    }
    boolean sourceTakesReserved = wanted.equals(REJECTED_TABLE) && !key.stream().equals(REJECTED_TABLE);
    return unique(Identifiers.fit(wanted, key.toString()), key.toString(), taken, sourceTakesReserved);
  }

  private static TableSchema widenColumns(TableSchema table, Map<SourcePath, ColumnStats> stats) {
    Map<SourcePath, Column> columns = new LinkedHashMap<>();
    table.columns().forEach(c -> columns.put(c.path(), c));
    Set<String> names = new HashSet<>();
    // All bookkeeping names are reserved in every table, so a column name never depends on depth.
    for (Bookkeeping b : Bookkeeping.values()) {
      names.add(b.column());
    }
    table.columns().forEach(c -> names.add(c.name()));

    List<SourcePath> fresh = new ArrayList<>();
    for (Map.Entry<SourcePath, ColumnStats> entry : stats.entrySet()) {
      Column known = columns.get(entry.getKey());
      if (known == null) {
        fresh.add(entry.getKey());
      } else {
        columns.put(known.path(), new Column(known.path(), known.name(), known.type().lub(entry.getValue().type())));
      }
    }
    // Names a clean source name keeps as it is come first, so "name" keeps "name" next to "Name".
    fresh.sort(Comparator.comparing((SourcePath p) -> !isNatural(table.key(), p)).thenComparing(p -> p));
    for (SourcePath path : fresh) {
      String wanted = Identifiers.fit(columnName(table.key(), path), path.toString());
      columns.put(path, new Column(path, unique(wanted, path.toString(), names, false), stats.get(path).type()));
    }
    return new TableSchema(table.key(), table.name(), new ArrayList<>(columns.values()));
  }

  private static String unique(String wanted, String source, Set<String> taken, boolean forceSuffix) {
    String name = wanted;
    int attempt = 0;
    while (forceSuffix || taken.contains(name)) {
      forceSuffix = false;
      name = Identifiers.withSuffix(wanted, attempt == 0 ? source : source + "#" + attempt);
      attempt++;
    }
    taken.add(name);
    return name;
  }

  /** The column name of {@code path} inside {@code table}: its fields cleaned and joined by {@code __}. */
  static String columnName(TableKey table, SourcePath path) {
    return joinedName(path.stepsAfter(table.path()));
  }

  private static String joinedName(List<String> steps) {
    if (steps.isEmpty()) {
      return "value";
    }
    StringBuilder name = new StringBuilder();
    for (String step : steps) {
      if (name.length() > 0) {
        name.append("__");
      }
      name.append(step == null ? "value" : Identifiers.clean(step));
    }
    return name.toString();
  }

  private static boolean isNatural(TableKey table, SourcePath path) {
    List<String> steps = path.stepsAfter(table.path());
    return steps.stream().allMatch(s -> s != null && Identifiers.clean(s).equals(s));
  }

  /** A short stable hash of the whole schema: names, paths and types. */
  public String fingerprint() {
    StringBuilder text = new StringBuilder();
    for (TableSchema table : tables) {
      text.append(table.key()).append('=').append(table.name()).append('\n');
      for (Column c : table.columns()) {
        text.append(' ').append(c.path()).append('=').append(c.name()).append(':').append(c.type()).append('\n');
      }
    }
    return HexFormat.of()
        .formatHex(Identifiers.sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }
}
