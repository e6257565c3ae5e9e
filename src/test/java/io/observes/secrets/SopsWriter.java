package io.observes.secrets;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes SOPS YAML as sops does (values under the default {@code _unencrypted} rule, the MAC over
 * every value), with the data key for age recipients: the tests' way to make files beside the ones
 * the real sops wrote. Not part of the product: secrets are edited with sops (docs/secrets.md).
 */
final class SopsWriter {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private SopsWriter() {}

  /** {@code plain} encrypted with {@code dataKey}; {@code ageData} are the armored age files of the data key per recipient. */
  static String write(ObjectNode plain, byte[] dataKey, Map<String, String> ageData, Instant lastModified, SecureRandom random) {
    try {
      ObjectNode tree = plain.deepCopy();
      MessageDigest mac = MessageDigest.getInstance("SHA-512");
      SopsFile.replaceLeaves(tree, List.of(), (path, value) -> leaf(value, path, dataKey, mac, random));
      String modified = lastModified.truncatedTo(ChronoUnit.SECONDS).toString();
      ObjectNode sops = tree.putObject("sops");
      ArrayNode age = sops.putArray("age");
      ageData.forEach((recipient, enc) -> age.addObject().put("recipient", recipient).put("enc", enc));
      sops.put("lastmodified", modified);
      sops.put("mac", SopsValue.encrypt(dataKey, modified,
          HexFormat.of().withUpperCase().formatHex(mac.digest()).getBytes(StandardCharsets.UTF_8), "str", random));
      sops.put("unencrypted_suffix", "_unencrypted");
      sops.put("version", "3.9.0");
      return YAML.writeValueAsString(tree);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The data key as an armored age file for {@code recipient}, by jagged. */
  static String ageEncrypt(byte[] dataKey, String recipient) {
    try {
      RecipientStanzaWriter writer = X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory()
          .newEncryptingChannel(Channels.newChannel(out), List.of(writer))) {
        channel.write(ByteBuffer.wrap(dataKey));
      }
      return out.toString(StandardCharsets.US_ASCII);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode leaf(JsonNode value, List<String> path, byte[] key, MessageDigest mac, SecureRandom random) {
    String type;
    String text;
    if (value.isBoolean()) {
      type = "bool";
      text = value.booleanValue() ? "True" : "False";
    } else if (value.isIntegralNumber()) {
      type = "int";
      text = value.bigIntegerValue().toString();
    } else if (value.isNumber()) {
      type = "float";
      text = SopsDecryption.goFloat(value.doubleValue());
    } else {
      type = "str";
      text = value.asText();
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    mac.update(bytes);
    if (!SopsMetadata.Rule.DEFAULT.encrypts(path)) {
      return value;
    }
    if (text.isEmpty()) {
      return value;
    }
    return SopsFile.NODES.textNode(SopsValue.encrypt(key, String.join(":", path) + ":", bytes, type, random));
  }
}
