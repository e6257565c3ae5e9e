package io.observes.testing;

import io.observes.cli.Main;
import io.observes.config.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** A command of the jar run in this JVM as Main runs it, at a given clock, retrying in milliseconds. */
public final class CliRun {
  /** The exit code, what it printed, and its log lines. */
  public record Result(int code, String out, String err, String logs) {
    public String all() {
      return out + err + logs;
    }
  }

  private CliRun() {}

  public static synchronized Result run(Map<String, String> env, Clock clock, String... args) {
    // The logs go to System.err (logback's console appender looks it up on every write); swapped
    // before the command line is built, since picocli resets its err when System.err changed.
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream systemErr = System.err;
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Main.commandLine(new Environment(env), clock, TestRetries.FAST);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int code = cli.execute(args);
      return new Result(code, out.toString(), err.toString(), logs.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(systemErr);
    }
  }
}
