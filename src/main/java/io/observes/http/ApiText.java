package io.observes.http;

/**
 * Text a server sent (an error message, a header, a body's start) made fit to quote in an exception
 * message, which reaches the terminal, the run log and Slack alerts. Control characters (ESC drives
 * a terminal, CR forges log lines) and format characters (a right-to-left override disguises what
 * follows, a zero-width space hides in a name) become spaces, runs of white space one space, and the
 * result is cut to a bounded length without splitting a character. Secrets are another matter: the
 * client redacts them ({@link ApiClient#redact}) right after {@link #clean}, before anything is
 * deleted or cut, so that a cut can never leave part of one behind and a stripped character can
 * never join one up.
 */
public final class ApiText {
  /** How much of a server's text a message quotes: enough for any real error message. */
  public static final int QUOTED_CHARACTERS = 200;

  private ApiText() {}

  /** {@code text} without control or format characters (or lone surrogates), white space collapsed. */
  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), 64 * 1024));
    boolean space = false;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      int type = Character.getType(c);
      boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.CONTROL
          || type == Character.FORMAT || type == Character.SURROGATE || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
      if (blank) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.appendCodePoint(c);
      }
    }
    return out.toString();
  }

  /** {@code text} cut to {@code max} characters (a code point is never split), "..." marking a cut. */
  public static String cut(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max)) + "...";
  }

  /** Qualified Java class names in a message ({@code java.io.EOFException: }), and bare ones with a colon. */
  private static final java.util.regex.Pattern CLASS_NAMES = java.util.regex.Pattern.compile(
      "(?:\\b[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?::\\s*)?|\\b[A-Z][\\w$]*(?:Exception|Error):\\s*");

  /**
   * What went wrong, in words: the first message along the causes, without the Java class names
   * the JDK writes into them ("java.io.IOException: ..."), which say nothing to whoever reads an
   * alert; a phrase for the failures that come without a message.
   */
  public static String describe(Throwable e) {
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "the connection timed out";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer (headers) in time";
    }
    String text = null;
    for (Throwable t = e; t != null && text == null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : withoutClassNames(t.getMessage());
      text = message.isEmpty() ? null : message;
    }
    if ("closed".equals(text)) {
      // java.net.http's word for a connection that ended before the answer did
      text = "the connection closed before the answer was complete";
    }
    if (text == null) {
      text = e instanceof java.net.ConnectException ? "the connection was refused"
          : e instanceof java.io.EOFException ? "the connection closed before the answer was complete"
          : "the connection failed";
    }
    return quote(text);
  }

  /**
   * {@code text} without Java class names: an API built on Java may echo its own exception
   * ("java.lang.NumberFormatException: For input string"), which says nothing to whoever reads the
   * alert and reads like ours. Only ever deletes, so it runs after redaction: a secret with dots in it
   * (a JWT) is whole when redacted, and what is deleted cannot leave part of one.
   */
  public static String withoutClassNames(String text) {
    return CLASS_NAMES.matcher(text).replaceAll("").replace("``", "").strip();
  }

  /** {@link #clean}, {@link #withoutClassNames}, then {@link #cut} to {@link #QUOTED_CHARACTERS}: for text without secrets. */
  public static String quote(String text) {
    return cut(withoutClassNames(clean(text)), QUOTED_CHARACTERS);
  }
}
