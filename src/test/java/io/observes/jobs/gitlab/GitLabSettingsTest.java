package io.observes.jobs.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitLabSettingsTest {
  @Test
  void gitlabComWithTheObservesTokenByDefault() {
    GitLabSettings settings = GitLabSettings.from(new Environment(Map.of("OBSERVES_GITLAB_TOKEN", "glpat-a", "GITLAB_TOKEN", "glpat-b")));
    assertThat(settings.apiUrl()).isEqualTo(URI.create("https://gitlab.com/api/v4"));
    assertThat(settings.token()).isEqualTo("glpat-a");
  }

  @Test
  void gitlabTokenIsTheFallbackAndATrailingSlashIsDropped() {
    GitLabSettings settings = GitLabSettings.from(new Environment(Map.of("GITLAB_TOKEN", "glpat-b",
        "OBSERVES_GITLAB_URL", "https://gitlab.example.com/api/v4/")));
    assertThat(settings.token()).isEqualTo("glpat-b");
    assertThat(settings.resolve("projects/1/jobs")).isEqualTo(URI.create("https://gitlab.example.com/api/v4/projects/1/jobs"));
  }

  @Test
  void aMissingTokenSaysWhichVariableToSet() {
    assertThatThrownBy(() -> GitLabSettings.from(new Environment(Map.of("OBSERVES_GITLAB_TOKEN", " "))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("set OBSERVES_GITLAB_TOKEN (or GITLAB_TOKEN)");
  }

  @Test
  void aMalformedUrlIsAConfigurationErrorWithoutTheToken() {
    assertThatThrownBy(() -> GitLabSettings.from(new Environment(Map.of("OBSERVES_GITLAB_TOKEN", "glpat-secret",
        "OBSERVES_GITLAB_URL", "gitlab.example.com"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_GITLAB_URL").hasMessageNotContaining("glpat-secret");
  }

  @Test
  void theTokenIsNotInToString() {
    GitLabSettings settings = new GitLabSettings(URI.create("https://gitlab.com/api/v4"), "glpat-secret");
    assertThat(settings.toString()).contains("gitlab.com").doesNotContain("glpat-secret");
  }
}
