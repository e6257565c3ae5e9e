package io.observes.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Environment variables, injected (the process environment in production, a map in tests). */
public record Environment(Map<String, String> variables) {
  public Environment {
    variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** The variable's value, or empty when unset or blank. */
  public Optional<String> get(String name) {
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
