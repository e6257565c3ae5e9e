package io.observes.etl.code;

import java.util.List;
import java.util.Objects;

/** One group's bill for a month: a line per active author, ordered by actor. */
public record Bill(String group, List<Line> lines) {
  /** An active author: "name <email>", their first commit counted this month, their groups of the organization, its repository. */
  public record Line(String actor, String commit, String groups, String repository) {}

  public Bill {
    Objects.requireNonNull(group, "group");
    lines = List.copyOf(lines);
  }

  /**
   * RFC 4180 CSV with a header; every field quoted when it holds a comma, quote or line break, and
   * neutralised first when a spreadsheet would read it as a formula ({@link #neutralised}).
   */
  String csv() {
    StringBuilder out = new StringBuilder("actor,commit,groups,repository\r\n");
    for (Line line : lines) {
      out.append(field(line.actor())).append(',').append(field(line.commit())).append(',').append(field(line.groups()))
          .append(',').append(field(line.repository())).append("\r\n");
    }
    return out.toString();
  }

  /**
   * {@code value} with a single quote in front when it begins with {@code =}, {@code +}, {@code -},
   * {@code @}, TAB or CR (OWASP's CSV injection rule: these files are opened in spreadsheets, and an
   * author may be named {@code =HYPERLINK(...)}), or with {@code '} itself, so the rule can be undone
   * exactly: a program reading the files drops one leading {@code '} from every field that has one.
   */
  static String neutralised(String value) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    return formula || first == '\'' ? "'" + value : value;
  }

  private static String field(String value) {
    String text = neutralised(value == null ? "" : value);
    boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
    return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
