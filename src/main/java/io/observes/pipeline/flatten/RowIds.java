package io.observes.pipeline.flatten;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Deterministic row ids: 128 bits of SHA-256, in hex. Root rows hash their stream and primary key;
 * list elements hash their parent's id, the list's path and their index. Not thread-safe: one per
 * worker.
 */
public final class RowIds {
  private static final HexFormat HEX = HexFormat.of();
  private final MessageDigest digest;

  public RowIds() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  public String root(String stream, List<String> key) {
    feed(stream);
    for (String part : key) {
      feed(part);
    }
    return finish();
  }

  public String child(String parentId, String listPath, int index) {
    feed(parentId);
    feed(listPath);
    feed(Integer.toString(index));
    return finish();
  }

  /** Length-prefixed so that ("ab", "c") and ("a", "bc") hash apart. */
  private void feed(String part) {
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    digest.update(bytes);
  }

  private String finish() {
    byte[] hash = digest.digest();
    return HEX.formatHex(hash, 0, 16);
  }
}
