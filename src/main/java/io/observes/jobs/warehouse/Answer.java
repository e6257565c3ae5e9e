package io.observes.jobs.warehouse;

import java.util.Objects;

/**
 * The answer to one question of the warehouse check: PASS or FAIL, and what the warehouse did
 * (expected against actual on a FAIL), printed as one line.
 */
public record Answer(int number, String question, boolean passed, String text) {
  /** How much of a warehouse's message a line keeps. */
  static final int MESSAGE_CHARS = 600;

  public Answer {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(text, "text");
  }

  static Answer pass(int number, String question, String text) {
    return new Answer(number, question, true, text);
  }

  static Answer fail(int number, String question, String text) {
    return new Answer(number, question, false, text);
  }

  /** {@code PASS <question>: <what the warehouse did>} or {@code FAIL ...}, on one line. */
  public String line() {
    return (passed ? "PASS " : "FAIL ") + question + ": " + oneLine(text);
  }

  /** A message on one line: line breaks and runs of blanks become one space. */
  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /** A warehouse's (or pipeline's) message on one line, cut to {@link #MESSAGE_CHARS}. */
  static String message(Throwable e) {
    String text = oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    return text.length() <= MESSAGE_CHARS ? text : text.substring(0, MESSAGE_CHARS) + " [...]";
  }
}
