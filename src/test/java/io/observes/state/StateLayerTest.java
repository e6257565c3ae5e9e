package io.observes.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The state package sits below the pipeline: it may use storage and config, nothing above. */
class StateLayerTest {
  static final Pattern ABOVE = Pattern.compile("^import\\s+(static\\s+)?io\\.observes\\.(pipeline|cli|etl|jobs|batch|demo)\\b.*",
      Pattern.MULTILINE);

  @Test
  void nothingInStateImportsALayerAboveIt() throws IOException {
    Path sources = Path.of("src/main/java/io/observes/state");
    List<String> upward;
    try (Stream<Path> files = Files.list(sources)) {
      upward = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
        try {
          return ABOVE.matcher(Files.readString(f)).results().map(m -> f.getFileName() + ": " + m.group());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(sources.resolve("StateStore.java")).exists();
    assertThat(upward).isEmpty();
  }
}
