package io.observes.pipeline.flatten;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RowIdsTest {
  @Test
  void rootIdsAreDeterministic128BitHex() {
    String id = new RowIds().root("items", List.of("k1"));
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(new RowIds().root("items", List.of("k1"))).isEqualTo(id);
  }

  @Test
  void partsAreLengthPrefixed() {
    RowIds ids = new RowIds();
    assertThat(ids.root("s", List.of("ab", "c"))).isNotEqualTo(ids.root("s", List.of("a", "bc")));
    assertThat(ids.root("s", List.of("x"))).isNotEqualTo(ids.root("sx", List.of()));
    assertThat(ids.root("s", List.of("a"))).isNotEqualTo(ids.root("s", List.of("a", "")));
    assertThat(ids.child("p", "ab", 1)).isNotEqualTo(ids.child("p", "a", 11));
    assertThat(ids.child("p", "l", 1)).isNotEqualTo(ids.child("p", "l", 2));
  }

  @Test
  void reuseDoesNotLeakState() {
    RowIds ids = new RowIds();
    String first = ids.child("parent", "l", 0);
    ids.root("other", List.of("thing"));
    assertThat(ids.child("parent", "l", 0)).isEqualTo(first);
  }
}
