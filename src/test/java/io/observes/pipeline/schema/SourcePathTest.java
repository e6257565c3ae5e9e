package io.observes.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePathTest {
  private static SourcePath path(String... steps) {
    SourcePath p = SourcePath.root();
    for (String s : steps) {
      p = s == null ? p.element() : p.field(s);
    }
    return p;
  }

  @Test
  void rendersFieldsJoinedByDotsAndElementsAsBrackets() {
    assertThat(path("findings", null, "evidence", "url")).hasToString("findings[].evidence.url");
    assertThat(path("tags", null)).hasToString("tags[]");
    assertThat(path("a", null, null)).hasToString("a[][]");
    assertThat(path("a", "b", "c")).hasToString("a.b.c");
    assertThat(path("a", null, "b", null, "c")).hasToString("a[].b[].c");
    assertThat(SourcePath.root()).hasToString("");
    assertThat(SourcePath.root().isRoot()).isTrue();
  }

  @Test
  void escapesSpecialCharactersInNames() {
    assertThat(path("a.b")).hasToString("a\\.b");
    assertThat(path("x[0]")).hasToString("x\\[0\\]");
    assertThat(path("back\\slash")).hasToString("back\\\\slash");
    assertThat(path("a.b", null, "c]")).hasToString("a\\.b[].c\\]");
    // An escaped dot is not a nesting step.
    assertThat(path("a.b")).isNotEqualTo(path("a", "b"));
    assertThat(path("a[]")).isNotEqualTo(path("a", null));
  }

  @Test
  void parseInvertsRender() {
    List<SourcePath> paths = List.of(
        SourcePath.root(),
        path("id"),
        path("findings", null, "evidence", "url"),
        path("tags", null),
        path("a", null, null),
        path("a", null, null, "b"),
        path("a.b"),
        path("a.b", "c.d", null, "e"),
        path("x[0]"),
        path("[]"),
        path("]"),
        path("["),
        path("\\"),
        path("\\\\"),
        path("ends\\"),
        path("a\\.b"),
        path("a", ""),
        path("a", "", "b"),
        path("a", null, ""),
        path("名前", "ключ", null, "émoji😀"),
        path("with space", "tab\tand\nnewline"),
        path("quote\"s", "apos'"),
        path("..", "..."));
    for (SourcePath p : paths) {
      SourcePath parsed = SourcePath.parse(p.toString());
      assertThat(parsed).as(p.toString()).isEqualTo(p);
      assertThat(parsed.length()).as(p.toString()).isEqualTo(p.length());
      for (int i = 0; i < p.length(); i++) {
        assertThat(parsed.step(i)).isEqualTo(p.step(i));
      }
    }
  }

  @Test
  void parseRejectsMalformedText() {
    assertThatThrownBy(() -> SourcePath.parse("a\\")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("escape");
    assertThatThrownBy(() -> SourcePath.parse("a[b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[");
    assertThatThrownBy(() -> SourcePath.parse("a[")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourcePath.parse("a]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourcePath.parse("a\\b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void enclosingElementIsTheNearestList() {
    assertThat(path("findings", null, "evidence", "url").enclosingElement()).isEqualTo(path("findings", null));
    assertThat(path("a", null, "b", null, "c").enclosingElement()).isEqualTo(path("a", null, "b", null));
    assertThat(path("tags", null).enclosingElement()).isEqualTo(path("tags", null));
    assertThat(path("a", "b").enclosingElement()).isEqualTo(SourcePath.root());
    assertThat(SourcePath.root().enclosingElement()).isEqualTo(SourcePath.root());
  }

  @Test
  void stepsAfterAPrefix() {
    SourcePath p = path("findings", null, "evidence", "url");
    assertThat(p.stepsAfter(path("findings", null))).containsExactly("evidence", "url");
    assertThat(p.stepsAfter(SourcePath.root())).isEqualTo(Arrays.asList("findings", null, "evidence", "url"));
    assertThat(p.stepsAfter(p)).isEmpty();
    assertThat(path("m", null, null).stepsAfter(path("m", null))).isEqualTo(Arrays.asList((String) null));
    assertThatThrownBy(() -> p.stepsAfter(path("other", null))).isInstanceOf(IllegalArgumentException.class);
    assertThat(p.startsWith(path("findings"))).isTrue();
    assertThat(p.startsWith(path("finding"))).isFalse();
  }

  @Test
  void equalityFollowsSteps() {
    assertThat(path("a", "b")).isEqualTo(SourcePath.parse("a.b")).hasSameHashCodeAs(SourcePath.parse("a.b"));
    assertThat(path("a", null).endsWithElement()).isTrue();
    assertThat(path("a").endsWithElement()).isFalse();
    assertThat(path("a", "b").prefix(1)).isEqualTo(path("a"));
  }

  @Test
  void anEmptyFirstFieldNameIsNotTheRoot() {
    SourcePath empty = SourcePath.root().field("");
    assertThat(empty).isNotEqualTo(SourcePath.root());
    assertThat(empty.toString()).isEqualTo(".");
    assertThat(SourcePath.parse(".")).isEqualTo(empty);
    SourcePath nested = empty.field("x").element();
    assertThat(nested.toString()).isEqualTo("..x[]");
    assertThat(SourcePath.parse(nested.toString())).isEqualTo(nested);
    assertThat(SourcePath.root().field("a").field("").field("b").toString()).isEqualTo("a..b");
    assertThat(SourcePath.parse("a..b")).isEqualTo(SourcePath.root().field("a").field("").field("b"));
  }
}
