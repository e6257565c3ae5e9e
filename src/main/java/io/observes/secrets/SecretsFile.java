package io.observes.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.config.SecretLookup;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The secrets of one SOPS file, for {@link io.observes.config.Environment}: the names are read
 * without a key; the file is decrypted (and its MAC checked) once, the first time a name it holds
 * is asked for, so a command that finds all it needs in the environment never needs the key.
 */
public final class SecretsFile implements SecretLookup {
  private final String origin;
  private final Supplier<String> text;
  private final Supplier<DataKey> keys;
  private SopsFile file;
  private Decrypted decrypted;

  /** The opened file: its plaintext tree and what opened its data key. */
  public record Decrypted(ObjectNode values, String via) {
    @Override
    public String toString() {
      return "Decrypted[" + values.size() + " names, via " + via + "]";
    }
  }

  public SecretsFile(String origin, Supplier<String> text, Supplier<DataKey> keys) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.text = Objects.requireNonNull(text, "text");
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  public String origin() {
    return origin;
  }

  public synchronized Set<String> names() {
    return parsed().names();
  }

  @Override
  public String toString() {
    return "SecretsFile[" + origin + "]";
  }

  @Override
  public Optional<String> find(String name) {
    if (!names().contains(name)) {
      return Optional.empty();
    }
    Decrypted open;
    try {
      open = decrypt();
    } catch (SecretsException e) {
      throw new SecretsException(name + " is in " + origin + ", but the file cannot be used: " + e.getMessage()
          + ". Set " + name + " in the environment instead, or fix the file or its key (docs/secrets.md)");
    }
    JsonNode value = open.values().get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isContainerNode()) {
      throw new SecretsException(name + " in " + origin + " is a " + (value.isObject() ? "map" : "list")
          + "; a secret a command reads must be one value");
    }
    return Optional.of(value.asText());
  }

  /** Decrypts the whole file (once) and checks its MAC. */
  public synchronized Decrypted decrypt() {
    if (decrypted == null) {
      SopsFile sops = parsed();
      DataKey.Opened key = keys.get().open(sops);
      decrypted = new Decrypted(SopsDecryption.open(sops, key.key()), key.via());
    }
    return decrypted;
  }

  private synchronized SopsFile parsed() {
    if (file == null) {
      file = SopsFile.parse(origin, text.get());
    }
    return file;
  }
}
