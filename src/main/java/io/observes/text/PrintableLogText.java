package io.observes.text;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * The text log format's message and stack trace ({@code %printableMsg}, {@code %printableEx} in
 * logback.xml), printable: log lines quote what sources answer, and the text format is read on
 * terminals. The JSON format needs none of this: its encoder escapes control characters.
 */
public final class PrintableLogText {
  private PrintableLogText() {}

  /** {@code %msg}, printable. */
  public static final class Message extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return PrintableText.of(super.convert(event));
    }
  }

  /** {@code %ex}, printable. */
  public static final class Stack extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
      return PrintableText.of(super.throwableProxyToString(proxy));
    }
  }
}
