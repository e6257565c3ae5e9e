package io.observes.secrets;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code sops:} block of a file: the data key encrypted for each age recipient and each AWS KMS
 * key, when the file was last written (the MAC's authenticated data), the MAC, and the rule that
 * says which values are encrypted (at most one of the suffix and regex rules; by default every value
 * except those under a key ending in {@code _unencrypted}).
 */
public record SopsMetadata(List<AgeKey> age, List<KmsKey> kms, String lastModified, String mac, Rule rule,
    boolean macOnlyEncrypted, String version) {
  /** The data key as an armored age file for {@code recipient}. */
  public record AgeKey(String recipient, String enc) {}

  /** The data key as a KMS ciphertext blob (base64) of key {@code arn}, with its encryption context and role. */
  public record KmsKey(String arn, String enc, Map<String, String> context, Optional<String> role) {}

  /** Which values of the tree are encrypted. */
  public enum RuleKind { UNENCRYPTED_SUFFIX, ENCRYPTED_SUFFIX, UNENCRYPTED_REGEX, ENCRYPTED_REGEX }

  /** A rule applies when any key on a value's path matches it. */
  public record Rule(RuleKind kind, String pattern) {
    public static final Rule DEFAULT = new Rule(RuleKind.UNENCRYPTED_SUFFIX, "_unencrypted");

    /** Whether the value at {@code path} is encrypted under this rule. */
    public boolean encrypts(List<String> path) {
      return switch (kind) {
        case UNENCRYPTED_SUFFIX -> path.stream().noneMatch(k -> k.endsWith(pattern));
        case ENCRYPTED_SUFFIX -> path.stream().anyMatch(k -> k.endsWith(pattern));
        case UNENCRYPTED_REGEX -> path.stream().noneMatch(k -> java.util.regex.Pattern.compile(pattern).matcher(k).find());
        case ENCRYPTED_REGEX -> path.stream().anyMatch(k -> java.util.regex.Pattern.compile(pattern).matcher(k).find());
      };
    }
  }

  public SopsMetadata {
    age = List.copyOf(age);
    kms = List.copyOf(kms);
    Objects.requireNonNull(lastModified, "lastModified");
    Objects.requireNonNull(rule, "rule");
  }
}
