package io.observes.alert;

import io.observes.config.UrlCredentials;
import io.observes.text.PrintableText;

/**
 * Text as Slack shows it literally. Slack reads {@code <...>} as control sequences ({@code <!channel>}
 * pings everyone, {@code <@U123>} mentions someone, {@code <http://x|label>} is a link whose target is
 * hidden behind its label), so text from data must not be able to write them. Slack's formatting
 * reference ("Escaping text", https://api.slack.com/reference/surfaces/formatting#escaping) says to
 * replace exactly three characters, {@code &} {@code <} {@code >}, with their HTML entities, and no
 * others (they would show as entities).
 */
public final class SlackText {
  private SlackText() {}

  /** {@code text} printable, without URL credentials, and with Slack's control characters escaped. */
  public static String escape(String text) {
    String plain = PrintableText.of(UrlCredentials.strip(text));
    return plain == null ? null : plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
