package io.observes.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentifiersTest {
  private static final String SAFE = "[a-z0-9_]+";

  @Test
  void cleanGivesLowerCaseLettersDigitsAndUnderscores() {
    assertThat(Identifiers.clean("Name")).isEqualTo("name");
    assertThat(Identifiers.clean("first-name")).isEqualTo("first_name");
    assertThat(Identifiers.clean("a.b")).isEqualTo("a_b");
    assertThat(Identifiers.clean("")).isEqualTo("_");
    assertThat(Identifiers.clean("名前")).matches(SAFE);
    assertThat(Identifiers.clean("İstanbul")).matches(SAFE);
    assertThat(Identifiers.clean("x\"; DROP TABLE y; --")).matches(SAFE).doesNotContain("\"", ";", " ", "-");
    assertThat(Identifiers.clean("select")).isEqualTo("select");
  }

  @Test
  void fitKeepsShortNamesAndCutsLongOnesWithAStableSuffix() {
    assertThat(Identifiers.fit("short", "short")).isEqualTo("short");
    String exactly = "a".repeat(127);
    assertThat(Identifiers.fit(exactly, exactly)).isEqualTo(exactly);

    String longName = "a".repeat(200);
    String fitted = Identifiers.fit(longName, "path.of.it");
    assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Identifiers.MAX_BYTES);
    assertThat(fitted).matches("a+_[0-9a-f]{8}").startsWith("a".repeat(100));
    assertThat(Identifiers.fit(longName, "path.of.it")).isEqualTo(fitted);
    assertThat(Identifiers.fit(longName, "another.path")).isNotEqualTo(fitted);
  }

  @Test
  void withSuffixAppendsEightHexDigitsOfTheSource() {
    String named = Identifiers.withSuffix("name", "Name");
    assertThat(named).matches("name_[0-9a-f]{8}");
    assertThat(named).isEqualTo("name_" + Identifiers.sha256Hex("Name").substring(0, 8));
    assertThat(Identifiers.withSuffix("x".repeat(300), "s")).hasSize(Identifiers.MAX_BYTES);
  }
}
