package io.observes.text;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.observes.alert.SlackText;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PrintableTextTest {
  @Test
  void escapeSequencesAndControlCharactersGoLineBreaksAndTabsStay() {
    assertThat(PrintableText.of("a\u001b[2Jb\u001b[1;31mc\u001b[0m")).isEqualTo("abc");
    assertThat(PrintableText.of("x\u001b]0;title\u0007y\u001b]8;;http://e.example\u001b\\z")).isEqualTo("xyz");
    assertThat(PrintableText.of("p\u009b2Jq\u001bPdcs\u001b\\r\u001b7s")).isEqualTo("pqrs");
    assertThat(PrintableText.of("line 1\r\nline 2\tcol\rover\u0000\u0008\u007f")).isEqualTo("line 1\nline 2\tcolover");
    assertThat(PrintableText.of("file \u202Etxt.exe \u2066x\u2069")).isEqualTo("file txt.exe x");
    assertThat(PrintableText.of("unterminated \u001b]0;title")).isEqualTo("unterminated ");
    assertThat(PrintableText.of("é ü 日本 ✓")).isEqualTo("é ü 日本 ✓");
  }

  @Test
  void aPrintableWriterCleansEveryValueItPrints() {
    StringWriter text = new StringWriter();
    PrintWriter out = PrintableWriter.of(new PrintWriter(text));
    // Padding counts the removed characters: a hostile value can shift its row, never the terminal.
    out.printf("%-8s|%s%n", "job\u001b[2J", "error \u001b]0;x\u0007here");
    out.println(new char[] {'o', 'k', '\u001b'});
    out.write('\u0007');
    out.flush();
    assertThat(text.toString()).isEqualTo("job |error here" + System.lineSeparator() + "ok" + System.lineSeparator());
  }

  @Test
  void slackSeesItsControlCharactersEscapedAndNothingElse() {
    assertThat(SlackText.escape("<!channel> & <@U1> <http://x.example|y> *bold* :ok: \u001b[2J"))
        .isEqualTo("&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;http://x.example|y&gt; *bold* :ok: ");
    assertThat(SlackText.escape("jdbc:postgresql://u:hunter2@h/db")).isEqualTo("jdbc:postgresql://h/db");
  }

  @Test
  void theTextLogFormatPrintsMessagesAndStacksPrintable() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("t"), Level.WARN, "GitLab said {}",
        new IllegalStateException("boom \u001b[2J\u001b]0;pwned\u0007"), new Object[] {"\u001b[31mred\u001b[0m"});
    PrintableLogText.Message message = new PrintableLogText.Message();
    PrintableLogText.Stack stack = new PrintableLogText.Stack();
    stack.setContext(context);
    stack.start();

    assertThat(message.convert(event)).isEqualTo("GitLab said red");
    assertThat(stack.convert(event)).contains("java.lang.IllegalStateException: boom ").doesNotContain("\u001b", "pwned");
  }
}
