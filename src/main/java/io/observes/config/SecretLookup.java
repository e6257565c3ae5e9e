package io.observes.config;

import java.util.Optional;

/**
 * Where a variable that the environment does not set may still be found: the secrets file. Only
 * names it holds are looked up there, so reading an unrelated variable never needs its key.
 */
public interface SecretLookup {
  SecretLookup NONE = name -> Optional.empty();

  /** The secret's value, or empty when the file does not hold {@code name}; a {@link ConfigException} when it cannot be read. */
  Optional<String> find(String name);
}
