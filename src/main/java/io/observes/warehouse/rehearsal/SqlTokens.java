package io.observes.warehouse.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small SQL tokenizer for {@link RedshiftStatementRules}: words, double-quoted identifiers (with
 * {@code ""} escapes), single-quoted strings (with {@code ''} and, as Redshift reads them,
 * backslash escapes), dollar-quoted strings, numbers, parameters and symbols, each with its offsets
 * in the text and its parenthesis depth. Comments ({@code --} and nested {@code /* *}{@code /}) are
 * skipped, so that nothing inside a comment, a string or a quoted identifier reads as SQL.
 */
final class SqlTokens {
  private SqlTokens() {}

  enum Kind { WORD, QUOTED, STRING, NUMBER, PARAM, SYMBOL }

  /**
   * One token: {@code value} is a word lowercased, a quoted identifier or string unescaped, else the
   * text; {@code depth} counts the parentheses open before it (a parenthesis itself is at the outer
   * depth); {@code open} marks a string, identifier or comment the text ends inside.
   */
  record Token(Kind kind, String value, int start, int end, int depth, boolean open) {
    boolean is(String word) {
      return kind == Kind.WORD && value.equals(word);
    }

    boolean isSymbol(String symbol) {
      return kind == Kind.SYMBOL && value.equals(symbol);
    }

    boolean isName() {
      return kind == Kind.WORD || kind == Kind.QUOTED;
    }
  }

  static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    int depth = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = blockCommentEnd(sql, i);
      } else if (c == '\'' || (c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\''
          && (i == 0 || !wordPart(sql.charAt(i - 1)))) {
        int quote = c == '\'' ? i : i + 1;
        StringBuilder value = new StringBuilder();
        i = stringEnd(sql, quote, value);
        tokens.add(new Token(Kind.STRING, value.toString(), start, Math.min(i, n), depth, i > n));
      } else if (c == '"') {
        StringBuilder value = new StringBuilder();
        i = quotedEnd(sql, i, value);
        tokens.add(new Token(Kind.QUOTED, value.toString(), start, Math.min(i, n), depth, i > n));
      } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
        i++;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.PARAM, sql.substring(start, i), start, i, depth, false));
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int close = sql.indexOf(tag, i + tag.length());
        String body = sql.substring(i + tag.length(), close < 0 ? n : close);
        i = close < 0 ? n + 1 : close + tag.length();
        tokens.add(new Token(Kind.STRING, body, start, Math.min(i, n), depth, close < 0));
      } else if (c == '?') {
        i++;
        tokens.add(new Token(Kind.PARAM, "?", start, i, depth, false));
      } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
        i = numberEnd(sql, i);
        tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), start, i, depth, false));
      } else if (wordStart(c)) {
        while (i < n && wordPart(sql.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT), start, i, depth, false));
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        i += 2;
        tokens.add(new Token(Kind.SYMBOL, "::", start, i, depth, false));
      } else {
        i += Character.charCount(sql.codePointAt(i));
        if (c == ')') {
          depth = Math.max(0, depth - 1);
        }
        tokens.add(new Token(Kind.SYMBOL, sql.substring(start, i), start, i, depth, false));
        if (c == '(') {
          depth++;
        }
      }
    }
    return tokens;
  }

  /** The tokens split at each semicolon outside parentheses; empty statements are left out. */
  static List<List<Token>> statements(List<Token> tokens) {
    List<List<Token>> statements = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    for (Token t : tokens) {
      if (t.isSymbol(";") && t.depth() == 0) {
        if (!current.isEmpty()) {
          statements.add(current);
        }
        current = new ArrayList<>();
      } else {
        current.add(t);
      }
    }
    if (!current.isEmpty()) {
      statements.add(current);
    }
    return statements;
  }

  /** The end of a block comment; PostgreSQL nests them. An open one runs to the end of the text. */
  private static int blockCommentEnd(String sql, int i) {
    int nesting = 0;
    int n = sql.length();
    while (i < n) {
      if (sql.startsWith("/*", i)) {
        nesting++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        i += 2;
        if (--nesting == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  /** Past the closing quote of the string opening at {@code quote}, or length + 1 if it never closes. */
  private static int stringEnd(String sql, int quote, StringBuilder value) {
    int i = quote + 1;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\\' && i + 1 < n) {
        value.append(sql.charAt(i + 1));
        i += 2;
      } else if (c == '\'' && i + 1 < n && sql.charAt(i + 1) == '\'') {
        value.append('\'');
        i += 2;
      } else if (c == '\'') {
        return i + 1;
      } else {
        value.append(c);
        i++;
      }
    }
    return n + 1;
  }

  private static int quotedEnd(String sql, int quote, StringBuilder value) {
    int i = quote + 1;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '"' && i + 1 < n && sql.charAt(i + 1) == '"') {
        value.append('"');
        i += 2;
      } else if (c == '"') {
        return i + 1;
      } else {
        value.append(c);
        i++;
      }
    }
    return n + 1;
  }

  /** {@code $$} or {@code $tag$} opening at {@code i}, else null. */
  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && sql.charAt(j) != '$') {
      if (!wordPart(sql.charAt(j)) || Character.isDigit(sql.charAt(j)) && j == i + 1) {
        return null;
      }
      j++;
    }
    return j < sql.length() ? sql.substring(i, j + 1) : null;
  }

  private static int numberEnd(String sql, int i) {
    int n = sql.length();
    while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
      i++;
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < n && Character.isDigit(sql.charAt(j))) {
        i = j;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }

  private static boolean wordStart(char c) {
    return c == '_' || Character.isLetter(c) || c >= 0x80 && !Character.isWhitespace(c);
  }

  private static boolean wordPart(char c) {
    return wordStart(c) || Character.isDigit(c) || c == '$';
  }
}
