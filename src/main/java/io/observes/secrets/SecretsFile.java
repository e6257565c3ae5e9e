package io.observes.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.config.SecretLookup;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets of one SOPS file, for {@link io.observes.config.Environment}: the names are read
 * without a key; the file is decrypted (and its MAC checked) once, the first time a name it holds
 * is asked for, so a command that finds all it needs in the environment never needs the key.
 *
 * <p>Limited to the secrets of the job catalogue ({@link #limitedTo}), it supplies those names only:
 * any other name in it (an endpoint URL, the warehouse URL) would let whoever can edit the file,
 * which sops makes easy and reviews see only as ciphertext, send a job's data or credentials
 * elsewhere. Those names are ignored with one warning that names them, never their values.
 */
public final class SecretsFile implements SecretLookup {
  private static final Logger LOG = LoggerFactory.getLogger(SecretsFile.class);

  private final String origin;
  private final Supplier<String> text;
  private final Supplier<DataKey> keys;
  private final Set<String> allowed;
  private SopsFile file;
  private Decrypted decrypted;

  /** The opened file: its plaintext tree and what opened its data key. */
  public record Decrypted(ObjectNode values, String via) {
    @Override
    public String toString() {
      return "Decrypted[" + values.size() + " names, via " + via + "]";
    }
  }

  /** A file that supplies every name it holds (for reading sops files as such). */
  public SecretsFile(String origin, Supplier<String> text, Supplier<DataKey> keys) {
    this(origin, text, keys, null);
  }

  private SecretsFile(String origin, Supplier<String> text, Supplier<DataKey> keys, Set<String> allowed) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.text = Objects.requireNonNull(text, "text");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.allowed = allowed == null ? null : Set.copyOf(allowed);
  }

  /** This file supplying only {@code secrets} (the catalogue's); the other names it holds are ignored, with a warning. */
  public SecretsFile limitedTo(Set<String> secrets) {
    return new SecretsFile(origin, text, keys, Objects.requireNonNull(secrets, "secrets"));
  }

  public String origin() {
    return origin;
  }

  /** The names this file supplies. */
  public synchronized Set<String> names() {
    Set<String> names = new TreeSet<>(parsed().names());
    names.removeAll(ignored());
    return names;
  }

  /** The names the file holds but does not supply: not secrets of the catalogue. */
  public synchronized Set<String> ignored() {
    Set<String> ignored = new TreeSet<>(parsed().names());
    if (allowed == null) {
      return Set.of();
    }
    ignored.removeAll(allowed);
    return ignored;
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
      Set<String> ignored = ignored();
      if (!ignored.isEmpty()) {
        LOG.warn("the secrets file {} also holds {}, which are not secrets of the job catalogue: ignored. Only the secrets "
            + "jobs name in etl-jobs/ are read from it; set other variables in the environment (docs/secrets.md)", origin,
            String.join(", ", ignored));
      }
    }
    return file;
  }
}
