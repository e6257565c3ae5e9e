package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement the Redshift dialect sent during the build's Redshift run (captured by
 * {@link StatementCapture}) parsed with sqlfluff's {@code redshift} grammar (Debian's package;
 * {@code .ci/run} installs it). A statement it cannot parse fails the build unless
 * {@code redshift-syntax-gaps.tsv} lists it with the Redshift documentation page that shows it
 * valid: the packaged grammar has gaps. Bind parameters ({@code ?}) are given a literal to parse.
 */
class RedshiftSyntaxIT {
  static final String END = "-- observes:end-of-statement";
  private static final Pattern LITERAL = Pattern.compile("'(?:[^'\\\\]|\\\\.|'')*'");
  private static final Pattern IDENTIFIER = Pattern.compile("\"(?:[^\"]|\"\")*\"");
  private static final Pattern NUMBER = Pattern.compile("\\b\\d+\\b");
  private static final Pattern ROWS = Pattern.compile("(\\(\\?(, \\?)*\\))(, \\(\\?(, \\?)*\\))+");
  private static final Pattern REPEATED_ITEM =
      Pattern.compile("((?:^|[(,]\\s*)([^,()]+(?:\\([^()]*\\))?[^,()]*?))(?:,\\s*\\2)+(?=\\s*[,)])");

  record Gap(Pattern statement, String page, String why) {}

  @Test
  void everyStatementOfTheRedshiftDialectParsesOrIsAKnownGapOfTheGrammar(@TempDir Path work) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/sqlfluff")) || onPath("sqlfluff"),
        "sqlfluff is not installed (apt-get install sqlfluff): the Redshift syntax check is skipped");
    Path captured = Path.of(System.getProperty("observes.sql.capture", "target/redshift-sql"));
    Set<String> statements = statements(captured);
    if (statements.isEmpty()) {
      assumeTrue(false, "no statements captured in " + captured + ": run the build's redshift-rehearsal tests first");
    }
    // Statements differing only in names, literals, numbers and how often a list repeats an item share
    // a class: the grammar sees the same tokens, or the same ones again. The shortest of each class is
    // parsed, one for each shape of the list items and mix of the characters a lexer could trip on
    // inside quotes (see quoting), which keeps sqlfluff to seconds.
    java.util.Map<String, String> byClass = new java.util.LinkedHashMap<>();
    java.util.Set<String> shapes = new java.util.HashSet<>();
    for (String statement : statements) {
      String shape = shape(statement);
      shapes.add(shape);
      byClass.merge(parseClass(statement, shape), statement, (kept, other) -> other.length() < kept.length() ? other : kept);
    }
    List<String> texts = List.copyOf(byClass.values());
    List<Gap> gaps = gaps();
    List<String> failures = new ArrayList<>();
    int known = 0;
    for (String statement : unparsable(texts, work)) {
      if (gaps.stream().anyMatch(g -> g.statement().matcher(statement).find())) {
        known++;
      } else {
        failures.add(statement);
      }
    }
    System.out.printf("Redshift syntax: %d distinct statements of %d shapes, %d of them checked: %d parsed, %d known gaps "
        + "of sqlfluff's grammar, %d failed%n", statements.size(), shapes.size(), texts.size(),
        texts.size() - known - failures.size(), known, failures.size());
    assertThat(failures).as("statements sqlfluff's redshift grammar cannot parse and that redshift-syntax-gaps.tsv does "
        + "not list with the page that shows them valid").isEmpty();
  }

  @Test
  void theCheckFindsStatementsTheGrammarCannotParse(@TempDir Path work) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/sqlfluff")) || onPath("sqlfluff"),
        "sqlfluff is not installed (apt-get install sqlfluff): the Redshift syntax check is skipped");
    String onConflict = "INSERT INTO \"s\".\"t\" (\"a\") VALUES (?) ON CONFLICT DO NOTHING";
    String copy = "COPY \"s\".\"t\" (\"a\") FROM 's3://b/k/copy.manifest' IAM_ROLE 'arn:aws:iam::123456789012:role/r' "
        + "MANIFEST FORMAT AS CSV GZIP NULL AS '\\000' TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF";
    // Parts are zstd since issue 20; runs staged before it are gzip: both COPYs must parse.
    String zstd = copy.replace(" GZIP ", " ZSTD ");
    assertThat(unparsable(List.of(onConflict, copy, zstd, "LOCK \"observes_meta\".\"lock_x\""), work))
        .containsExactly(onConflict);
  }

  @Test
  void statementsOfOneShapeAreParsedAgainForEveryOtherQuoting() {
    String plain = "SELECT 'abc' FROM \"s\".\"t\" WHERE \"a\" = 1";
    assertThat(shape(plain)).isEqualTo(shape("SELECT 'x''y' FROM \"o\".\"p\" WHERE \"b\" = 22"));
    assertThat(quoting(plain)).isEqualTo(quoting("SELECT 'other' FROM \"u\".\"v\" WHERE \"w\" = 3"));
    assertThat(java.util.stream.Stream.of(plain, "SELECT 'x''y' FROM \"s\".\"t\" WHERE \"a\" = 1",
        "SELECT 'a\\'b' FROM \"s\".\"t\" WHERE \"a\" = 1", "SELECT 'a\nb' FROM \"s\".\"t\" WHERE \"a\" = 1",
        "SELECT '-- no' FROM \"s\".\"t\" WHERE \"a\" = 1", "SELECT '?' FROM \"s\".\"t\" WHERE \"a\" = 1",
        "SELECT 'é' FROM \"s\".\"t\" WHERE \"a\" = 1", "SELECT '' FROM \"s\".\"t\" WHERE \"a\" = 1",
        "SELECT 'abc' FROM \"s\".\"t\"\"\" WHERE \"a\" = 1", "SELECT 'abc' FROM \"s\".\"/*\" WHERE \"a\" = 1")
        .map(RedshiftSyntaxIT::parseClass)).doesNotHaveDuplicates();
  }

  @Test
  void aListItemRepeatedInARowIsParsedOnceAndEveryOtherItemStays() {
    String two = "CREATE TABLE \"s\".\"t\" (\"a\" VARCHAR(12), \"b\" VARCHAR(300), \"c\" BIGINT)";
    String five = "CREATE TABLE \"s\".\"u\" (\"a\" VARCHAR(1), \"b\" VARCHAR(2), \"c\" VARCHAR(3), \"d\" VARCHAR(4), "
        + "\"e\" BIGINT, \"f\" BIGINT)";
    assertThat(collapsed(shape(two))).isEqualTo("CREATE TABLE \"i\".\"i\" (\"i\" VARCHAR(0), \"i\" BIGINT)")
        .isEqualTo(collapsed(shape(five)));
    assertThat(parseClass(two)).isEqualTo(parseClass(five));
    // Another item between two alike, another type, another quoting: each its own class.
    assertThat(Stream.of(two, "CREATE TABLE \"s\".\"t\" (\"a\" VARCHAR(1), \"c\" BIGINT, \"b\" VARCHAR(2))",
        "CREATE TABLE \"s\".\"t\" (\"a\" VARCHAR(1), \"b\" NUMERIC(38, 2), \"c\" BIGINT)",
        "CREATE TABLE \"s\".\"t\" (\"a\" VARCHAR(1), \"b\"\"\" VARCHAR(2), \"c\" BIGINT)")
        .map(RedshiftSyntaxIT::parseClass)).doesNotHaveDuplicates();
    assertThat(collapsed("INSERT INTO \"i\".\"i\" (\"i\", \"i\", \"i\") SELECT \"i\" FROM \"i\" WHERE \"i\" IN ('s', 's')"))
        .isEqualTo("INSERT INTO \"i\".\"i\" (\"i\") SELECT \"i\" FROM \"i\" WHERE \"i\" IN ('s')");
  }

  @Test
  void aMultiRowValuesIsParsedAsTwoOfItsRowsAndNothingElseChanges() {
    assertThat(twoRows("INSERT INTO \"s\".\"t\" (\"a\", \"b\") VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING"))
        .isEqualTo("INSERT INTO \"s\".\"t\" (\"a\", \"b\") VALUES (?, ?), (?, ?) ON CONFLICT DO NOTHING");
    String oneRow = "INSERT INTO \"s\".\"t\" (\"a\") VALUES (?)";
    assertThat(twoRows(oneRow)).isEqualTo(oneRow);
  }

  /**
   * The statements of {@code texts} sqlfluff's redshift grammar leaves (partly) unparsable. sqlfluff
   * parses on one core (its {@code parse} has no {@code --processes}): the statements are dealt
   * round-robin to one sqlfluff per processor, which run at once.
   */
  static List<String> unparsable(List<String> texts, Path work) throws Exception {
    int parsers = Math.max(1, Math.min(texts.size(), Runtime.getRuntime().availableProcessors()));
    List<Process> running = new ArrayList<>();
    for (int p = 0; p < parsers; p++) {
      Path dir = Files.createDirectories(work.resolve("statements-" + p));
      for (int i = p; i < texts.size(); i += parsers) {
        Files.writeString(dir.resolve(String.format("s%05d.sql", i)), withLiterals(twoRows(texts.get(i))) + ";\n");
      }
      running.add(new ProcessBuilder("sqlfluff", "parse", "--dialect", "redshift", "--format", "json", dir.toString())
          .redirectOutput(work.resolve("sqlfluff-" + p + ".json").toFile())
          .redirectError(work.resolve("sqlfluff-" + p + ".err").toFile()).start());
    }
    java.util.SortedSet<Integer> unparsable = new java.util.TreeSet<>();
    for (int p = 0; p < parsers; p++) {
      assertThat(running.get(p).waitFor(10, TimeUnit.MINUTES)).as("sqlfluff ends").isTrue();
      JsonNode files = new ObjectMapper().readTree(work.resolve("sqlfluff-" + p + ".json").toFile());
      assertThat(files).as("sqlfluff's report; stderr: %s", Files.readString(work.resolve("sqlfluff-" + p + ".err")))
          .isNotNull().hasSize((texts.size() - p + parsers - 1) / parsers);
      for (JsonNode file : files) {
        String name = Path.of(file.get("filepath").asText()).getFileName().toString();
        if (file.toString().contains("\"unparsable\"")) {
          unparsable.add(Integer.parseInt(name.substring(1, 6)));
        }
      }
    }
    return unparsable.stream().map(texts::get).toList();
  }

  /**
   * The statement with a multi-row VALUES of bind parameters cut to two of its rows: a list of rows is
   * parsed all the same, and more rows are only the same tokens again (the 15 such statements of a
   * build took 31.6 s of sqlfluff's 81 s of CPU, measured with its Python API).
   */
  static String twoRows(String sql) {
    return ROWS.matcher(sql).replaceAll("$1, $1");
  }

  /** The statement with every literal, quoted name and number alike, and multi-row VALUES as one row. */
  static String shape(String sql) {
    String shape = LITERAL.matcher(sql).replaceAll("'s'");
    shape = IDENTIFIER.matcher(shape).replaceAll("\"i\"");
    shape = NUMBER.matcher(shape).replaceAll("0");
    return ROWS.matcher(shape).replaceAll("$1");
  }

  /**
   * The shape with every run of one item repeated in a list (columns of one type, parameters, names)
   * cut to one: a parser reads a list item by item, so more of the same item are only the same tokens
   * again (as with {@link #twoRows}). Items are what lies between commas in one pair of parentheses
   * or at the top level, with at most one pair of parentheses of their own ({@code VARCHAR(0)}).
   */
  static String collapsed(String shape) {
    String previous;
    String collapsed = shape;
    do {
      previous = collapsed;
      collapsed = REPEATED_ITEM.matcher(previous).replaceAll("$1");
    } while (!collapsed.equals(previous));
    return collapsed;
  }

  /**
   * The class of statements parsed once: the same {@linkplain #collapsed collapsed shape}, and the
   * same kinds of quoted text (see {@link #quoting}) wherever in the statement they are.
   */
  static String parseClass(String sql) {
    return parseClass(sql, shape(sql));
  }

  private static String parseClass(String sql, String shape) {
    return collapsed(shape) + "\n" + quotedKinds(sql, LITERAL).collect(java.util.stream.Collectors.toCollection(
        java.util.TreeSet::new)) + "|" + quotedKinds(sql, IDENTIFIER).collect(java.util.stream.Collectors.toCollection(
        java.util.TreeSet::new));
  }

  /**
   * What each literal and quoted name of {@code sql} holds that a lexer could read otherwise than a
   * plain word: a backslash, a doubled quote, a control character, a comment's start, a bind
   * parameter's mark, a character beyond ASCII, or nothing at all. Statements of one shape and
   * quoting tokenize alike (the 1,087 statements parsed in five per shape had 380 such kinds).
   */
  static String quoting(String sql) {
    StringBuilder kinds = new StringBuilder();
    for (Pattern quoted : List.of(LITERAL, IDENTIFIER)) {
      quotedKinds(sql, quoted).forEach(kind -> kinds.append(kind).append(','));
      kinds.append('|');
    }
    return kinds.toString();
  }

  /** The kind (see {@link #quoting}) of each text {@code quoted} finds in {@code sql}, in order. */
  private static Stream<String> quotedKinds(String sql, Pattern quoted) {
    return quoted.matcher(sql).results().map(m -> {
      String body = m.group().substring(1, m.group().length() - 1);
      return (body.contains("\\") ? "b" : "") + (body.contains("''") || body.contains("\"\"") ? "q" : "")
          + (body.chars().anyMatch(c -> c < 32) ? "c" : "") + (body.contains("--") || body.contains("/*") ? "m" : "")
          + (body.contains("?") ? "p" : "") + (body.chars().anyMatch(c -> c > 127) ? "u" : "") + (body.isEmpty() ? "e" : "");
    });
  }

  static Set<String> statements(Path captured) throws IOException {
    Set<String> statements = new LinkedHashSet<>();
    if (!Files.isDirectory(captured)) {
      return statements;
    }
    try (Stream<Path> files = Files.list(captured)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.equals(END)) {
            statements.add(current.toString().strip());
            current.setLength(0);
          } else {
            current.append(line).append('\n');
          }
        }
      }
    }
    return statements;
  }

  /** Each bind parameter outside strings and quoted identifiers becomes the literal 0. */
  static String withLiterals(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '\'' && i + 1 < sql.length()) {
          out.append(c).append(sql.charAt(++i));
          continue;
        }
        if (c == quote) {
          quote = 0;
        }
        out.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        out.append(c);
      } else {
        out.append(c == '?' ? "0" : String.valueOf(c));
      }
    }
    return out.toString();
  }

  static List<Gap> gaps() throws IOException {
    List<Gap> gaps = new ArrayList<>();
    try (var in = RedshiftSyntaxIT.class.getResourceAsStream("/redshift-syntax-gaps.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split("\t");
        assertThat(fields).as("a gap is: regex, documentation page, why: %s", line).hasSize(3);
        assertThat(fields[1]).startsWith("https://docs.aws.amazon.com/redshift/");
        gaps.add(new Gap(Pattern.compile(fields[0]), fields[1], fields[2]));
      }
    }
    return gaps;
  }

  static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}
