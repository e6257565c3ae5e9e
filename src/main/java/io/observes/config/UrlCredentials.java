package io.observes.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the credentials URLs can carry from text meant for people (errors, logs, alerts, the run
 * log): the user-info of {@code scheme://user:password@host}, the {@code user:password@host} a driver
 * echoes without its scheme, and the value of every password-like parameter ({@code ?password=},
 * {@code ;PWD=}, {@code &sslpassword=}, {@code token=}, ...). It works on any text, not only on a
 * URL, because what leaks is rarely our own URL: it is a driver's or a library's message that
 * quotes it ("claims to not accept jdbcUrl, jdbc:...", an UnknownHostException naming
 * {@code u:pw@host}).
 */
public final class UrlCredentials {
  /** Shown in place of a removed value: says something was there without saying what. */
  public static final String HIDDEN = "****";

  /** {@code scheme://<user-info>@}: everything up to the last '@' before the path, query or fragment. */
  private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.\\-]*://)[^\\s/?#]*@");

  /**
   * {@code user:password@host} without a scheme, as a driver quotes the host it could not resolve;
   * a plain {@code user@host} (no password) is left alone, so e-mail addresses stay readable.
   */
  private static final Pattern BARE_USER_INFO =
      Pattern.compile("(?<![\\w/:.%+\\-@])[^\\s/?#:@'\"<>()\\[\\],;=]+:[^\\s/?#'\"<>]*@(?=[\\w\\[])");

  /**
   * A parameter whose name ends in a word for a credential, wherever it stands (URL query, driver
   * properties, prose): {@code sslpassword=}, {@code X-Amz-Credential=}, but not {@code credentialsProviders=}.
   */
  private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)((?<![\\w\\-])[\\w.\\-]*(?:password|passwd|pwd|secret|token"
      + "|api[_\\-]?key|access[_\\-]?key|signature|credential)\\s*=\\s*)(\"[^\"]*\"|'[^']*'|[^&;#\\s,)'\"]*)");

  private UrlCredentials() {}

  /** {@code text} without any URL user-info or password-like parameter value; null stays null. */
  public static String strip(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = USER_INFO.matcher(text).replaceAll("$1");
    out = BARE_USER_INFO.matcher(out).replaceAll("");
    Matcher parameters = SECRET_PARAMETER.matcher(out);
    return parameters.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + HIDDEN));
  }

  /**
   * A copy of {@code error}'s chain with every message stripped, for a cause that will be logged
   * with its stack trace: each link keeps its stack and says which exception it was.
   */
  public static Throwable strip(Throwable error) {
    if (error == null) {
      return null;
    }
    Stripped copy = new Stripped(error.getClass().getName(), strip(error.getMessage()), strip(error.getCause() == error
        ? null : error.getCause()));
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }

  /** One link of a stripped chain: prints as the exception it replaces, with the stripped message. */
  public static final class Stripped extends RuntimeException {
    private final String type;

    Stripped(String type, String message, Throwable cause) {
      super(message, cause, false, true);
      this.type = type;
    }

    /** The class name of the exception this link replaces. */
    public String type() {
      return type;
    }

    @Override
    public String toString() {
      return getMessage() == null ? type : type + ": " + getMessage();
    }
  }
}
