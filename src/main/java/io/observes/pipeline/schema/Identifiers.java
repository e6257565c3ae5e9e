package io.observes.pipeline.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Warehouse identifiers: lower-case {@code [a-z0-9_]}, at most 127 bytes (fewer where the warehouse
 * keeps fewer: {@link Naming}). Names made from source text are cleaned; names that would collide or
 * exceed the limit get a short hash of their full source path, so the same source path always gets
 * the same name.
 */
public final class Identifiers {
  public static final int MAX_BYTES = 127;
  private static final int SUFFIX = 9;

  private Identifiers() {}

  public static String clean(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    String lower = raw.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    return out.length() == 0 ? "_" : out.toString();
  }

  /** {@code name} if short enough, else cut and suffixed with the hash of {@code source}. */
  public static String fit(String name, String source) {
    return name.length() <= MAX_BYTES ? name : withSuffix(name, source);
  }

  /** {@code base} cut to fit, followed by {@code _} and 8 hex digits of the hash of {@code source}. */
  public static String withSuffix(String base, String source) {
    return withSuffix(base, source, MAX_BYTES);
  }

  /**
   * {@code base} cut to leave room for the suffix within {@code maxBytes}, then {@code _} and 8 hex
   * digits of the hash of {@code source}. Names are ASCII after {@link #clean}, so characters are bytes.
   */
  static String withSuffix(String base, String source, int maxBytes) {
    String cut = base.length() > maxBytes - SUFFIX ? base.substring(0, maxBytes - SUFFIX) : base;
    return cut + "_" + sha256Hex(source).substring(0, SUFFIX - 1);
  }

  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
