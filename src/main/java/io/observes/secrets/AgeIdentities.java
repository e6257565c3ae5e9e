package io.observes.secrets;

import io.observes.config.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The age identities ({@code AGE-SECRET-KEY-1...}) this process may open a data key with, found as
 * sops finds them: {@code SOPS_AGE_KEY} (the keys themselves), {@code SOPS_AGE_KEY_FILE} (a keys
 * file), and the default keys file {@code $XDG_CONFIG_HOME/sops/age/keys.txt} (else
 * {@code ~/.config/sops/age/keys.txt}). {@code sources} names where they came from; the keys
 * themselves never appear in a message.
 */
public record AgeIdentities(List<String> keys, List<String> sources) {
  private static final String PREFIX = "AGE-SECRET-KEY-1";

  public AgeIdentities {
    keys = List.copyOf(keys);
    sources = List.copyOf(sources);
  }

  @Override
  public String toString() {
    return "AgeIdentities[" + keys.size() + " from " + sources + "]";
  }

  public static AgeIdentities from(Environment env, Path home) {
    Objects.requireNonNull(env, "env");
    List<String> keys = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    env.variable("SOPS_AGE_KEY").ifPresent(text -> {
      keys.addAll(parse(text, "SOPS_AGE_KEY"));
      sources.add("SOPS_AGE_KEY");
    });
    env.variable("SOPS_AGE_KEY_FILE").ifPresent(file -> {
      Path path = Path.of(file);
      if (!Files.isReadable(path)) {
        throw new SecretsException("SOPS_AGE_KEY_FILE names " + file + ", which cannot be read; point it at an age keys "
            + "file (age-keygen -o keys.txt)");
      }
      keys.addAll(parse(read(path), "SOPS_AGE_KEY_FILE " + file));
      sources.add("SOPS_AGE_KEY_FILE " + file);
    });
    Path config = env.variable("XDG_CONFIG_HOME").map(Path::of).orElse(home == null ? null : home.resolve(".config"));
    if (config != null) {
      Path standard = config.resolve("sops").resolve("age").resolve("keys.txt");
      if (Files.isReadable(standard)) {
        keys.addAll(parse(read(standard), standard.toString()));
        sources.add(standard.toString());
      }
    }
    return new AgeIdentities(keys, sources);
  }

  /** The identities of a keys file: one per line (several per line in SOPS_AGE_KEY), comments and blanks skipped. */
  static List<String> parse(String text, String source) {
    List<String> keys = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      for (String word : trimmed.split("\\s+")) {
        if (!word.toUpperCase(java.util.Locale.ROOT).startsWith(PREFIX)) {
          throw new SecretsException(source + " holds a line that is not an X25519 age identity (AGE-SECRET-KEY-1...); "
              + "plugin, post-quantum, SSH and passphrase-protected identities are not supported");
        }
        keys.add(word);
      }
    }
    return keys;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SecretsException("reading the age keys file " + path + " failed: " + e.getMessage());
    }
  }
}
