package io.observes.etl.dynamo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The shape of a key in a single-table design, as the platform's data model writes it: tokens
 * separated by {@code #}, UPPER-CASE tokens literal ({@code VULN}, {@code STATE}), lower-case ones
 * standing for a value ({@code id}, {@code iso8601utc}). A key matches when its literal tokens are
 * where the template has them; a value may itself hold {@code #} (a file name), so a value token
 * takes one or more of the key's tokens.
 */
public record KeyTemplate(String text, List<Token> tokens) {
  private static final Pattern LITERAL = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern VALUE = Pattern.compile("[a-z][a-z0-9_]*");

  /** A literal token, or a value (with its name). */
  public record Token(String text, boolean literal) {}

  public KeyTemplate {
    Objects.requireNonNull(text, "text");
    tokens = List.copyOf(tokens);
  }

  public static KeyTemplate parse(String text) {
    List<Token> tokens = new ArrayList<>();
    for (String token : text.split("#", -1)) {
      if (LITERAL.matcher(token).matches()) {
        tokens.add(new Token(token, true));
      } else if (VALUE.matcher(token).matches()) {
        tokens.add(new Token(token, false));
      } else {
        throw new IllegalArgumentException("key template '" + text + "': token '" + token + "' is neither a literal "
            + "(UPPER-CASE: [A-Z][A-Z0-9_]*) nor a value (lower-case: [a-z][a-z0-9_]*)");
      }
    }
    return new KeyTemplate(text, tokens);
  }

  /**
   * As {@link #parse}, for templates written by other tools (a NoSQL Workbench model): a token that
   * is not an UPPER-CASE literal stands for a value, whatever it looks like ({@code <id>}).
   */
  public static KeyTemplate parseLenient(String text) {
    List<Token> tokens = new ArrayList<>();
    for (String token : text.split("#", -1)) {
      tokens.add(new Token(token, LITERAL.matcher(token).matches()));
    }
    return new KeyTemplate(text, tokens);
  }

  public int literals() {
    return (int) tokens.stream().filter(Token::literal).count();
  }

  /**
   * How well {@code key} matches: -1 if it does not, else how many more tokens the key has than the
   * template (0 for a token-for-token match), so that of two matching templates the closer one wins.
   * Linear in the key's tokens times the template's: hostile keys full of {@code #} cannot make it
   * backtrack without end.
   */
  public int match(String key) {
    if (key == null) {
      return -1;
    }
    String[] parts = key.split("#", -1);
    int n = parts.length;
    int m = tokens.size();
    // done[k][t]: key tokens k.. can be matched by template tokens t..
    boolean[][] done = new boolean[n + 1][m + 1];
    done[n][m] = true;
    for (int t = m - 1; t >= 0; t--) {
      Token token = tokens.get(t);
      boolean anyLater = false;
      for (int k = n - 1; k >= 0; k--) {
        // A value takes key token k and then either stops (t+1 goes on at k+1) or takes more.
        anyLater = token.literal() ? false : (done[k + 1][t + 1] || anyLater);
        done[k][t] = token.literal() ? token.text().equals(parts[k]) && done[k + 1][t + 1] : anyLater;
      }
    }
    return done[0][0] ? n - m : -1;
  }

  @Override
  public String toString() {
    return text;
  }
}
