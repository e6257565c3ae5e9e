package io.observes.warehouse.rehearsal;

import io.observes.warehouse.rehearsal.SqlTokens.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a checked text, for the rule classes: its tokens, the whole text they index
 * into, and the rewrites ({@link Edit}) to apply to that text before PostgreSQL sees it.
 */
final class SqlStatement {
  /** Replace {@code [start, end)} of the whole text with {@code text}. */
  record Edit(int start, int end, String text) {}

  private final String sql;
  private final List<Token> tokens;
  private final List<Edit> edits;

  SqlStatement(String sql, List<Token> tokens, List<Edit> edits) {
    this.sql = sql;
    this.tokens = tokens;
    this.edits = edits;
  }

  List<Token> tokens() {
    return tokens;
  }

  int size() {
    return tokens.size();
  }

  Token at(int i) {
    return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
  }

  boolean word(int i, String word) {
    Token t = at(i);
    return t != null && t.is(word);
  }

  boolean symbol(int i, String symbol) {
    Token t = at(i);
    return t != null && t.isSymbol(symbol);
  }

  /** The statement's own text, as written. */
  String text() {
    return sql.substring(tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
  }

  /** The text of tokens {@code [from, to)} as written. */
  String text(int from, int to) {
    return from >= to ? "" : sql.substring(tokens.get(from).start(), tokens.get(to - 1).end());
  }

  SQLException refuse(RedshiftRule rule, String detail) {
    return rule.refuse(text(), detail);
  }

  void edit(int start, int end, String text) {
    edits.add(new Edit(start, end, text));
  }

  /** The index of the parenthesis closing the one at {@code open}, or the size if none does. */
  int closing(int open) {
    int depth = tokens.get(open).depth();
    for (int i = open + 1; i < tokens.size(); i++) {
      if (tokens.get(i).isSymbol(")") && tokens.get(i).depth() == depth) {
        return i;
      }
    }
    return tokens.size();
  }

  /** The indexes of the commas of {@code [from, to)} at {@code depth}. */
  List<Integer> commas(int from, int to, int depth) {
    List<Integer> commas = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (tokens.get(i).isSymbol(",") && tokens.get(i).depth() == depth) {
        commas.add(i);
      }
    }
    return commas;
  }

  /** Past a dotted name ({@code a}, {@code a.b}, {@code "a"."b"}) starting at {@code i}. */
  int nameEnd(int i) {
    while (at(i) != null && at(i).isName()) {
      if (!symbol(i + 1, ".")) {
        return i + 1;
      }
      i += 2;
    }
    return i;
  }

  /** A dotted name as PostgreSQL reads it in {@code to_regclass}: quoted parts quoted again, bare parts as written. */
  String nameText(int from, int to) {
    StringBuilder name = new StringBuilder();
    for (int i = from; i < to; i++) {
      Token t = tokens.get(i);
      if (t.kind() == SqlTokens.Kind.QUOTED) {
        name.append('"').append(t.value().replace("\"", "\"\"")).append('"');
      } else {
        name.append(sql, t.start(), t.end());
      }
    }
    return name.toString();
  }
}
