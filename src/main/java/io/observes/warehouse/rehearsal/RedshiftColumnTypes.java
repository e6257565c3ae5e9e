package io.observes.warehouse.rehearsal;

import io.observes.warehouse.rehearsal.SqlTokens.Kind;
import io.observes.warehouse.rehearsal.SqlTokens.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The data types Redshift has, and their limits, checked where a statement names a type: column
 * definitions (CREATE TABLE, ALTER TABLE ... ADD COLUMN / ALTER COLUMN ... TYPE) and casts
 * ({@code ::type}, {@code CAST(... AS type)}). The supported types are those of
 * https://docs.aws.amazon.com/redshift/latest/dg/c_Supported_data_types.html; anything else (JSON,
 * JSONB, UUID, BYTEA, MONEY, XML, network, geometric and range types, user-defined types) is
 * refused, after https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-datatypes.html.
 */
final class RedshiftColumnTypes {
  static final int MAX_VARCHAR_BYTES = 65535;
  static final int MAX_CHAR_BYTES = 4096;
  static final int MAX_PRECISION = 38;
  static final int MAX_SCALE = 37;
  /** VARCHAR without a length, on Redshift. */
  static final int DEFAULT_VARCHAR_BYTES = 256;

  static final Set<String> VARCHAR = Set.of("varchar", "character varying", "char varying", "nvarchar",
      "national character varying");
  private static final Set<String> CHAR = Set.of("char", "character", "nchar", "bpchar", "national character");
  private static final Set<String> NUMERIC = Set.of("numeric", "decimal");
  private static final Set<String> SERIAL = Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8");
  private static final Set<String> SUPPORTED = Set.of("smallint", "int2", "integer", "int", "int4", "bigint", "int8",
      "real", "float4", "double precision", "float8", "float", "boolean", "bool", "text", "date", "timestamp",
      "timestamp without time zone", "timestamptz", "timestamp with time zone", "time", "time without time zone",
      "timetz", "time with time zone", "interval", "geometry", "geography", "hllsketch", "super", "varbyte",
      "varbinary", "binary varying");

  private RedshiftColumnTypes() {}

  /**
   * A type as written: its words joined by single spaces, lowercased; its numeric arguments (-1 for
   * MAX); whether it is an array; whether an INTERVAL has a qualifier; the index past it.
   */
  record Type(String name, List<Integer> args, boolean array, boolean qualified, int end) {
    boolean isVarchar() {
      return VARCHAR.contains(name);
    }

    /** A VARCHAR's length in bytes as Redshift makes it. */
    int varcharBytes() {
      return args.isEmpty() ? DEFAULT_VARCHAR_BYTES : args.get(0) < 0 ? MAX_VARCHAR_BYTES : args.get(0);
    }
  }

  /** The type whose first token is at {@code from}, or null when no type name is there. */
  static Type read(SqlStatement s, int from) {
    int i = from;
    if (s.at(i) == null || !s.at(i).isName()) {
      return null;
    }
    i = s.nameEnd(i);
    StringBuilder name = new StringBuilder(s.at(i - 1).kind() == Kind.QUOTED ? s.at(i - 1).value() : s.text(from, i)
        .toLowerCase(java.util.Locale.ROOT));
    boolean qualified = false;
    while (s.at(i) != null && s.at(i).kind() == Kind.WORD && continues(name.toString(), s.at(i).value())) {
      qualified |= name.toString().equals("interval") || name.toString().startsWith("interval ");
      name.append(' ').append(s.at(i).value());
      i++;
    }
    List<Integer> args = new ArrayList<>();
    if (s.symbol(i, "(")) {
      int close = s.closing(i);
      for (int j = i + 1; j < close; j++) {
        Token t = s.at(j);
        if (t.kind() == Kind.NUMBER) {
          args.add(parse(t.value()));
        } else if (t.is("max")) {
          args.add(-1);
        }
      }
      i = close + 1;
      // TIMESTAMP(3) WITH TIME ZONE: the zone words follow the precision.
      while (s.at(i) != null && s.at(i).kind() == Kind.WORD && continues(name.toString(), s.at(i).value())) {
        name.append(' ').append(s.at(i).value());
        i++;
      }
    }
    boolean array = false;
    while (s.symbol(i, "[") || s.word(i, "array")) {
      array = true;
      i = s.symbol(i, "[") ? skipBrackets(s, i) : i + 1;
    }
    return new Type(name.toString(), args, array, qualified, i);
  }

  /** Refuses a type Redshift lacks or a limit it exceeds, in a column definition. */
  static void checkColumn(SqlStatement s, Type type) throws SQLException {
    if (type.name().equals("text")) {
      throw s.refuse(RedshiftRule.TEXT_COLUMN, null);
    }
    if (type.name().equals("interval") && !type.qualified()) {
      throw s.refuse(RedshiftRule.INTERVAL_COLUMN, null);
    }
    checkCast(s, type);
  }

  /** Refuses a type Redshift lacks or a limit it exceeds, wherever a type is named. */
  static void checkCast(SqlStatement s, Type type) throws SQLException {
    String name = type.name();
    if (type.array()) {
      throw s.refuse(RedshiftRule.ARRAY, name + "[]");
    }
    if (SERIAL.contains(name)) {
      throw s.refuse(RedshiftRule.SERIAL, name);
    }
    if (VARCHAR.contains(name)) {
      if (!type.args().isEmpty() && type.args().get(0) > MAX_VARCHAR_BYTES) {
        throw s.refuse(RedshiftRule.VARCHAR_LENGTH, name + "(" + type.args().get(0) + ")");
      }
    } else if (CHAR.contains(name)) {
      if (!type.args().isEmpty() && type.args().get(0) > MAX_CHAR_BYTES) {
        throw s.refuse(RedshiftRule.CHAR_LENGTH, name + "(" + type.args().get(0) + ")");
      }
    } else if (NUMERIC.contains(name)) {
      if (type.args().isEmpty()) {
        throw s.refuse(RedshiftRule.NUMERIC_UNBOUNDED, name);
      }
      int precision = type.args().get(0);
      int scale = type.args().size() > 1 ? type.args().get(1) : 0;
      if (precision > MAX_PRECISION || scale > MAX_SCALE) {
        throw s.refuse(RedshiftRule.NUMERIC_PRECISION, name + "(" + precision + "," + scale + ")");
      }
    } else if (!SUPPORTED.contains(name) && !name.startsWith("interval ")) {
      throw s.refuse(RedshiftRule.DATA_TYPE, name);
    }
  }

  /** Whether {@code word} continues the multi-word type {@code name} (DOUBLE PRECISION, INTERVAL DAY TO SECOND...). */
  private static boolean continues(String name, String word) {
    return switch (name) {
      case "double" -> word.equals("precision");
      case "character", "char", "national", "national character", "bit", "binary" ->
          word.equals("varying") || name.equals("national") && word.equals("character");
      case "timestamp", "time" -> word.equals("with") || word.equals("without");
      case "timestamp with", "timestamp without", "time with", "time without" -> word.equals("time");
      case "timestamp with time", "timestamp without time", "time with time", "time without time" -> word.equals("zone");
      default -> (name.equals("interval") || name.startsWith("interval "))
          && Set.of("year", "month", "day", "hour", "minute", "second", "to").contains(word);
    };
  }

  private static int skipBrackets(SqlStatement s, int i) {
    while (s.at(i) != null && !s.symbol(i, "]")) {
      i++;
    }
    return i + 1;
  }

  private static int parse(String number) {
    try {
      return Integer.parseInt(number);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
