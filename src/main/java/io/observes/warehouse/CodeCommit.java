package io.observes.warehouse;

import java.time.Instant;
import java.util.Objects;

/** A commit of the code warehouse ({@code code.commits}): where it was seen, by whom, when. */
public record CodeCommit(String group, String repository, String hash, String authorName, String authorEmail, Instant seenAt) {
  public CodeCommit {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(seenAt, "seenAt");
  }
}
