package io.observes.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Opens a {@link SopsFile} with its data key: every encrypted value decrypted with its path as
 * authenticated data and typed as its {@code type:} says, then the file's MAC checked — SHA-512 over
 * every value in document order (only the encrypted ones when {@code mac_only_encrypted}), in
 * sops's byte form (booleans {@code True}/{@code False}, floats without exponent), upper-case hex,
 * encrypted with {@code lastmodified} as authenticated data. A value changed, added, removed or
 * moved without the key fails the MAC.
 */
public final class SopsDecryption {
  /** sops writes SHA-256("sops") first when only encrypted values are authenticated. */
  private static final byte[] MAC_ONLY_ENCRYPTED_INIT =
      HexFormat.of().parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

  private SopsDecryption() {}

  /** The plaintext tree: strings, numbers and booleans as typed in the file, maps and lists as written. */
  public static ObjectNode open(SopsFile file, byte[] dataKey) {
    ObjectNode plain = file.tree().deepCopy();
    MessageDigest mac = sha512();
    SopsMetadata meta = file.metadata();
    if (meta.macOnlyEncrypted()) {
      mac.update(MAC_ONLY_ENCRYPTED_INIT);
    }
    SopsFile.replaceLeaves(plain, List.of(), (path, value) -> leaf(value, path, file, dataKey, mac));
    if (meta.mac() == null) {
      throw new SecretsException(file.origin() + " has no MAC: its values cannot be trusted. Re-encrypt it with sops");
    }
    String expected = SopsValue.parse(meta.mac()).map(v -> {
      try {
        return new String(v.decrypt(dataKey, lastModified(file)), StandardCharsets.UTF_8);
      } catch (SopsValue.TamperedException e) {
        throw new SecretsException(file.origin() + ": its MAC does not open with the data key (" + e.getMessage()
            + "): the file's sops block was changed or damaged");
      }
    }).orElseThrow(() -> new SecretsException(file.origin() + ": its MAC is not an ENC[AES256_GCM,...] value"));
    String actual = HexFormat.of().withUpperCase().formatHex(mac.digest());
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8))) {
      throw new SecretsException(file.origin() + ": MAC mismatch: its values were changed, added, removed or reordered "
          + "after sops wrote it. Restore it from version control, or re-encrypt it with sops");
    }
    return plain;
  }

  private static JsonNode leaf(JsonNode value, List<String> path, SopsFile file, byte[] key, MessageDigest mac) {
    SopsMetadata meta = file.metadata();
    boolean encrypted = meta.rule().encrypts(path);
    if (!encrypted) {
      if (!meta.macOnlyEncrypted()) {
        mac.update(plainBytes(value));
      }
      return value;
    }
    String where = String.join(".", path);
    if (value.isTextual() && value.asText().isEmpty()) {
      return value; // sops leaves empty strings as they are, and they add nothing to the MAC
    }
    SopsValue sealed = value.isTextual() ? SopsValue.parse(value.asText()).orElse(null) : null;
    if (sealed == null) {
      throw new SecretsException(file.origin() + ": the value of '" + where + "' is not encrypted, though the file's "
          + "rule says it should be: it was added or changed without sops. Encrypt it with 'sops edit'");
    }
    byte[] plain;
    try {
      plain = sealed.decrypt(key, String.join(":", path) + ":");
    } catch (SopsValue.TamperedException e) {
      throw new SecretsException(file.origin() + ": the value of '" + where + "' does not authenticate (" + e.getMessage()
          + "): it was changed or moved without sops");
    }
    String text = new String(plain, StandardCharsets.UTF_8);
    JsonNode typed;
    byte[] macBytes;
    try {
      switch (sealed.type()) {
        case "str", "bytes", "time" -> {
          typed = SopsFile.NODES.textNode(text);
          macBytes = plain;
        }
        case "int" -> {
          BigInteger n = new BigInteger(text.trim());
          typed = SopsFile.NODES.numberNode(n);
          macBytes = n.toString().getBytes(StandardCharsets.UTF_8);
        }
        case "float" -> {
          double d = Double.parseDouble(text.trim());
          typed = SopsFile.NODES.numberNode(new BigDecimal(text.trim()));
          macBytes = goFloat(d).getBytes(StandardCharsets.UTF_8);
        }
        case "bool" -> {
          boolean b = goBool(text.trim(), where, file);
          typed = SopsFile.NODES.booleanNode(b);
          macBytes = (b ? "True" : "False").getBytes(StandardCharsets.UTF_8);
        }
        default -> throw new SecretsException(file.origin() + ": the value of '" + where + "' has type '" + sealed.type()
            + "', which sops does not write for YAML values");
      }
    } catch (NumberFormatException e) {
      throw new SecretsException(file.origin() + ": the value of '" + where + "' is not a valid " + sealed.type());
    }
    mac.update(macBytes);
    return typed;
  }

  /** A value written in the clear, as sops hashes it (its YAML type's byte form). */
  private static byte[] plainBytes(JsonNode value) {
    String text;
    if (value.isBoolean()) {
      text = value.booleanValue() ? "True" : "False";
    } else if (value.isIntegralNumber()) {
      text = value.bigIntegerValue().toString();
    } else if (value.isNumber()) {
      text = goFloat(value.doubleValue());
    } else {
      text = value.asText();
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: the shortest digits that round-trip, never an exponent. */
  static String goFloat(double d) {
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private static boolean goBool(String text, String where, SopsFile file) {
    return switch (text) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new SecretsException(file.origin() + ": the value of '" + where + "' is not a valid bool");
    };
  }

  /** {@code lastmodified} as sops formats it again before using it as the MAC's authenticated data (RFC 3339, seconds). */
  static String lastModified(SopsFile file) {
    try {
      return RFC3339.format(OffsetDateTime.parse(file.metadata().lastModified()));
    } catch (DateTimeParseException e) {
      throw new SecretsException(file.origin() + ": its lastmodified '" + file.metadata().lastModified()
          + "' is not an RFC 3339 time; the file is damaged");
    }
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every Java runtime", e);
    }
  }
}
