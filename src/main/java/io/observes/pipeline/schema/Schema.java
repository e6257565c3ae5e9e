package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;
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
  /** Names no source table may take: the rejected-values table and the load bookkeeping tables. */
  public static final String REJECTED_TABLE = "_rejected";

  public static final String LOADS_TABLE = "_observes_loads";

  /** Which run prepared the staging schema (and, once published, the target). */
  public static final String RUN_TABLE = "_observes_run";

  private static final Set<String> RESERVED_TABLES = Set.of(LOADS_TABLE, RUN_TABLE);

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

  /** As {@link #widen(Map, Naming)} with Redshift's naming rules. */
  public Schema widen(Map<TableKey, Map<SourcePath, ColumnStats>> observed) {
    return widen(observed, Naming.REDSHIFT);
  }

  /**
   * This schema grown to hold everything {@code observed} describes: new tables and columns get
   * names, known columns get the least upper bound of their type and the observed one. Names are
   * built by {@code naming}; a known name the warehouse at hand cannot take (too long, a system
   * column) is built again, so a schema cached for one warehouse still works for another.
   */
  public Schema widen(Map<TableKey, Map<SourcePath, ColumnStats>> observed, Naming naming) {
    Set<String> tableNames = new HashSet<>(RESERVED_TABLES);
    List<TableKey> misnamed = new ArrayList<>();
    for (TableSchema t : tables) {
      if (t.name().length() <= naming.maxBytes() && tableNames.add(t.name())) {
        continue;
      }
      misnamed.add(t.key());
    }
    Map<TableKey, TableSchema> byKey = new LinkedHashMap<>();
    tables.forEach(t -> byKey.put(t.key(), t));
    misnamed.sort(Comparator.naturalOrder());
    for (TableKey key : misnamed) {
      TableSchema t = byKey.get(key);
      byKey.put(key, new TableSchema(key, tableName(key, byKey, tableNames, naming), t.columns()));
    }

    List<TableKey> keys = new ArrayList<>(observed.keySet());
    keys.sort(Comparator.naturalOrder());
    for (TableKey key : keys) {
      if (!byKey.containsKey(key)) {
        ensureParents(key, byKey, tableNames, naming);
        byKey.put(key, new TableSchema(key, tableName(key, byKey, tableNames, naming), List.of()));
      }
    }
    for (TableKey key : new ArrayList<>(byKey.keySet())) {
      byKey.put(key, widenColumns(byKey.get(key), observed.getOrDefault(key, Map.of()), naming));
    }
    return new Schema(new ArrayList<>(byKey.values()));
  }

  /**
   * This schema with the types a source declares: a declared column takes the declared type (the
   * declaration wins over what was inferred and cached) and keeps it; a declared column or table not
   * known yet is added and named; a column no longer declared becomes an inferred one, keeping its
   * type. So a declaration added to a source later takes effect on its next run.
   */
  public Schema reconcile(Map<TableKey, Map<SourcePath, ColumnType>> declared, Naming naming) {
    Map<TableKey, Map<SourcePath, ColumnStats>> unseen = new LinkedHashMap<>();
    declared.forEach((table, columns) -> {
      Map<SourcePath, ColumnStats> stats = new LinkedHashMap<>();
      columns.keySet().forEach(path -> stats.put(path, new ColumnStats()));
      unseen.put(table, stats);
    });
    List<TableSchema> reconciled = new ArrayList<>();
    for (TableSchema table : widen(unseen, naming).tables()) {
      Map<SourcePath, ColumnType> types = declared.getOrDefault(table.key(), Map.of());
      List<Column> columns = new ArrayList<>();
      for (Column c : table.columns()) {
        ColumnType type = types.get(c.path());
        columns.add(type != null ? new Column(c.path(), c.name(), type, true) : new Column(c.path(), c.name(), c.type()));
      }
      reconciled.add(new TableSchema(table.key(), table.name(), columns));
    }
    return new Schema(reconciled);
  }

  private static void ensureParents(TableKey key, Map<TableKey, TableSchema> byKey, Set<String> names, Naming naming) {
    if (!key.isRoot() && !byKey.containsKey(key.parent())) {
      ensureParents(key.parent(), byKey, names, naming);
      byKey.put(key.parent(), new TableSchema(key.parent(), tableName(key.parent(), byKey, names, naming), List.of()));
    }
  }

  private static String tableName(TableKey key, Map<TableKey, TableSchema> byKey, Set<String> taken, Naming naming) {
    String wanted;
    if (key.isRoot()) {
      wanted = key.stream().equals(REJECTED_TABLE) ? REJECTED_TABLE : Identifiers.clean(key.stream());
    } else {
      String parent = byKey.get(key.parent()).name();
      List<String> steps = key.path().stepsAfter(key.parent().path());
      wanted = parent + "__" + joinedName(steps.subList(0, steps.size() - 1));
    }
    boolean sourceTakesReserved = wanted.equals(REJECTED_TABLE) && !key.stream().equals(REJECTED_TABLE);
    return unique(naming.fit(wanted, key.toString()), key.toString(), taken, sourceTakesReserved, naming);
  }

  private static TableSchema widenColumns(TableSchema table, Map<SourcePath, ColumnStats> stats, Naming naming) {
    Map<SourcePath, Column> columns = new LinkedHashMap<>();
    table.columns().forEach(c -> columns.put(c.path(), c));
    // All bookkeeping names are reserved in every table, so a column name never depends on depth;
    // so are the warehouse's system columns, which no quoting makes usable.
    Set<String> names = new HashSet<>(naming.reservedColumns());
    for (Bookkeeping b : Bookkeeping.values()) {
      names.add(b.column());
    }
    List<SourcePath> fresh = new ArrayList<>();
    for (Column c : table.columns()) {
      if (!naming.columnAllowed(c.name()) || !names.add(c.name())) {
        fresh.add(c.path());
      }
    }
    for (Map.Entry<SourcePath, ColumnStats> entry : stats.entrySet()) {
      Column known = columns.get(entry.getKey());
      if (known == null) {
        fresh.add(entry.getKey());
        columns.put(entry.getKey(), null);
      } else {
        // A declared type is the source's word: values that do not fit it are rejected, not widened for.
        ColumnType type = known.declared() ? known.type() : known.type().lub(entry.getValue().type());
        columns.put(known.path(), new Column(known.path(), known.name(), type, known.declared()));
      }
    }
    // Names a clean source name keeps as it is come first, so "name" keeps "name" next to "Name".
    fresh.sort(Comparator.comparing((SourcePath p) -> !isNatural(table.key(), p)).thenComparing(p -> p));
    for (SourcePath path : fresh) {
      String wanted = naming.fit(columnName(table.key(), path), path.toString());
      Column known = columns.get(path);
      ColumnType type = known != null ? known.type() : stats.get(path).type();
      boolean declared = known != null && known.declared();
      columns.put(path, new Column(path, unique(wanted, path.toString(), names, false, naming), type, declared));
    }
    return new TableSchema(table.key(), table.name(), new ArrayList<>(columns.values()));
  }

  private static String unique(String wanted, String source, Set<String> taken, boolean forceSuffix, Naming naming) {
    String name = wanted;
    int attempt = 0;
    while (forceSuffix || taken.contains(name)) {
      forceSuffix = false;
      name = naming.withSuffix(wanted, attempt == 0 ? source : source + "#" + attempt);
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
        text.append(' ').append(c.path()).append('=').append(c.name()).append(':').append(c.type())
            .append(c.declared() ? "!" : "").append('\n');
      }
    }
    return HexFormat.of()
        .formatHex(Identifiers.sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }
}
