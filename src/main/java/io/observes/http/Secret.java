package io.observes.http;

import java.util.Objects;

/**
 * A credential (token, API key, password). It prints as {@code <redacted>}, so that no log line,
 * exception or file gets it by accident; only {@link #reveal} gives the value, for the one header
 * or body that must carry it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret that is not blank; {@code what} names it in the error ("OBSERVES_GITLAB_TOKEN"). */
  public static Secret of(String value, String what) {
    Objects.requireNonNull(what, "what");
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is blank");
    }
    return new Secret(value.strip());
  }

  public String reveal() {
    return value;
  }

  /** {@code text} with every occurrence of this secret replaced by {@code <redacted>}. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, "<redacted>");
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
