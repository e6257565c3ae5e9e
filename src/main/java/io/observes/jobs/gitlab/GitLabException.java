package io.observes.jobs.gitlab;

/**
 * A GitLab call failed: GitLab answered with an error ({@link #status} is the HTTP status) or could
 * not be reached, or answered something that is not what the API documents ({@link #status} 0).
 * The message says which call and never contains the token.
 */
public final class GitLabException extends RuntimeException {
  private final int status;

  public GitLabException(int status, String message) {
    super(message);
    this.status = status;
  }

  public GitLabException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status GitLab answered with, or 0 when there was no (usable) answer. */
  public int status() {
    return status;
  }
}
