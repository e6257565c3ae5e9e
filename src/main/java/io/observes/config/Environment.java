package io.observes.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Environment variables, injected (the process environment in production, a map in tests); a
 * variable it does not set is looked up in {@code secrets} (the SOPS file), so that every command
 * reads a secret from either without knowing which.
 */
public record Environment(Map<String, String> variables, SecretLookup secrets) {
  public Environment {
    variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    Objects.requireNonNull(secrets, "secrets");
  }

  public Environment(Map<String, String> variables) {
    this(variables, SecretLookup.NONE);
  }

  /** The names only: values may be secrets. */
  @Override
  public String toString() {
    return "Environment" + new java.util.TreeSet<>(variables.keySet());
  }

  /** This environment, with {@code secrets} for the variables it does not set. */
  public Environment withSecrets(SecretLookup secrets) {
    return new Environment(variables, secrets);
  }

  /** This environment with {@code name} set to {@code value} (a command-line flag that wins over the variable). */
  public Environment with(String name, String value) {
    Map<String, String> changed = new java.util.HashMap<>(variables);
    changed.put(name, value);
    return new Environment(changed, secrets);
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** The variable's value, else the secret of that name; empty when neither has a value that is not blank. */
  public Optional<String> get(String name) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      value = secrets.find(name).orElse(null);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The variable's value from the environment only (the secrets file is not read). */
  public Optional<String> variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String getOrDefault(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  public Optional<Integer> integer(String name) {
    return get(name).map(v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new ConfigException(name + " must be a whole number, was '" + v + "'");
      }
    });
  }
}
