package io.observes.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One value as SOPS stores it: {@code ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]}, AES-256-GCM
 * under the file's data key with a 32-byte IV, authenticated with the value's path in the document
 * (its keys joined by ':' with a trailing ':'; list items take their list's path), so a value moved
 * to another key does not decrypt.
 */
public record SopsValue(byte[] data, byte[] iv, byte[] tag, String type) {
  private static final Pattern FORMAT =
      Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");
  private static final int TAG_BYTES = 16;
  private static final int IV_BYTES = 32;

  public SopsValue {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(iv, "iv");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(type, "type");
  }

  /** The value of {@code text} when it has the form of an encrypted value; empty for any other text. */
  public static Optional<SopsValue> parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      return Optional.of(new SopsValue(b64.decode(m.group(1)), b64.decode(m.group(2)), b64.decode(m.group(3)), m.group(4)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The plaintext; a {@link TamperedException} when the key, the path or the value does not match. */
  public byte[] decrypt(byte[] key, String aad) {
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
      gcm.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = new byte[data.length + tag.length];
      System.arraycopy(data, 0, sealed, 0, data.length);
      System.arraycopy(tag, 0, sealed, data.length, tag.length);
      return gcm.doFinal(sealed);
    } catch (AEADBadTagException e) {
      throw new TamperedException("its authentication tag does not match");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new TamperedException("it cannot be decrypted (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** {@code plaintext} encrypted as SOPS writes it, with a fresh random IV. */
  public static String encrypt(byte[] key, String aad, byte[] plaintext, String type, SecureRandom random) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
      gcm.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = gcm.doFinal(plaintext);
      Base64.Encoder b64 = Base64.getEncoder();
      byte[] data = java.util.Arrays.copyOfRange(sealed, 0, sealed.length - TAG_BYTES);
      byte[] tag = java.util.Arrays.copyOfRange(sealed, sealed.length - TAG_BYTES, sealed.length);
      return "ENC[AES256_GCM,data:" + b64.encodeToString(data) + ",iv:" + b64.encodeToString(iv) + ",tag:"
          + b64.encodeToString(tag) + ",type:" + type + "]";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
    }
  }

  /** A value, or the file's MAC, that does not authenticate: the file was changed without its key. */
  public static final class TamperedException extends RuntimeException {
    TamperedException(String message) {
      super(message);
    }
  }
}
