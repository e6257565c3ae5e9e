package io.observes.pipeline.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a value sits in its source record: field names from the record root, with list or set
 * elements marked {@code []}. Rendered as in the warehouse column comments: fields joined by
 * {@code .}, a {@code \} escaping {@code .}, {@code [}, {@code ]} and {@code \} inside a field name,
 * e.g. {@code findings[].evidence.url}. The root is the empty path; a path whose first field name
 * is empty starts with {@code .}.
 */
public final class SourcePath implements Comparable<SourcePath> {
  private static final SourcePath ROOT = new SourcePath(new String[0]);

  /** Field names; {@code null} marks a list element. */
  private final String[] steps;

  private final String rendered;

  private SourcePath(String[] steps) {
    this.steps = steps;
    this.rendered = render(steps);
  }

  public static SourcePath root() {
    return ROOT;
  }

  public SourcePath field(String name) {
    Objects.requireNonNull(name, "field name");
    String[] next = Arrays.copyOf(steps, steps.length + 1);
    next[steps.length] = name;
    return new SourcePath(next);
  }

  public SourcePath element() {
    return new SourcePath(Arrays.copyOf(steps, steps.length + 1));
  }

  public boolean isRoot() {
    return steps.length == 0;
  }

  public int length() {
    return steps.length;
  }

  /** The field name at {@code index}, or {@code null} where the step is a list element. */
  public String step(int index) {
    return steps[index];
  }

  public boolean endsWithElement() {
    return steps.length > 0 && steps[steps.length - 1] == null;
  }

  public SourcePath prefix(int length) {
    return length == steps.length ? this : new SourcePath(Arrays.copyOf(steps, length));
  }

  public boolean startsWith(SourcePath other) {
    if (other.steps.length > steps.length) {
      return false;
    }
    for (int i = 0; i < other.steps.length; i++) {
      if (!Objects.equals(steps[i], other.steps[i])) {
        return false;
      }
    }
    return true;
  }

  /** The field names after {@code prefix}; {@code null} entries are list elements. */
  public List<String> stepsAfter(SourcePath prefix) {
    if (!startsWith(prefix)) {
      throw new IllegalArgumentException(rendered + " is not under " + prefix.rendered);
    }
    return Arrays.asList(steps).subList(prefix.steps.length, steps.length);
  }

  /** The nearest enclosing list element path (the table this path's rows live in), or the root. */
  public SourcePath enclosingElement() {
    for (int i = steps.length - 1; i >= 0; i--) {
      if (steps[i] == null) {
        return prefix(i + 1);
      }
    }
    return ROOT;
  }

  public static SourcePath parse(String text) {
    Objects.requireNonNull(text, "path");
    List<String> steps = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    boolean inName = false;
    int start = 0;
    if (text.startsWith(".")) {
      steps.add("");
      start = 1;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 >= text.length()) {
          throw new IllegalArgumentException("dangling escape at the end of path: " + text);
        }
        name.append(text.charAt(++i));
        inName = true;
      } else if (c == '[') {
        if (i + 1 >= text.length() || text.charAt(i + 1) != ']') {
          throw new IllegalArgumentException("unescaped '[' in path: " + text);
        }
        if (inName) {
          steps.add(name.toString());
          name.setLength(0);
          inName = false;
        }
        steps.add(null);
        i++;
      } else if (c == '.') {
        if (inName) {
          steps.add(name.toString());
          name.setLength(0);
        }
        inName = true;
      } else {
        name.append(c);
        inName = true;
      }
    }
    if (inName) {
      steps.add(name.toString());
    }
    SourcePath parsed = new SourcePath(steps.toArray(new String[0]));
    if (!parsed.rendered.equals(text)) {
      throw new IllegalArgumentException("not a canonical source path: " + text);
    }
    return parsed;
  }

  private static String render(String[] steps) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] == null) {
        out.append("[]");
        continue;
      }
      String name = steps[i];
      if (i > 0 || name.isEmpty()) {
        // A leading '.' marks an empty first field name, which would otherwise render as the root.
        out.append('.');
      }
      for (int j = 0; j < name.length(); j++) {
        char c = name.charAt(j);
        if (c == '.' || c == '[' || c == ']' || c == '\\') {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public int compareTo(SourcePath other) {
    return rendered.compareTo(other.rendered);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourcePath p && rendered.equals(p.rendered);
  }

  @Override
  public int hashCode() {
    return rendered.hashCode();
  }

  @Override
  public String toString() {
    return rendered;
  }
}
