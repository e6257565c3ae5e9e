package io.observes.pipeline.schema;

import java.util.Objects;

/**
 * Identifies a table by where its rows come from: a source stream and the path of the list whose
 * elements are its rows (the root path for the stream's own records).
 */
public record TableKey(String stream, SourcePath path) implements Comparable<TableKey> {
  public TableKey {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(path, "path");
    if (!path.isRoot() && !path.endsWithElement()) {
      throw new IllegalArgumentException("a child table's path must end with a list element: " + path);
    }
  }

  public static TableKey root(String stream) {
    return new TableKey(stream, SourcePath.root());
  }

  public boolean isRoot() {
    return path.isRoot();
  }

  /** The table holding the rows this table's rows belong to. */
  public TableKey parent() {
    if (isRoot()) {
      throw new IllegalStateException(this + " is a root table");
    }
    return new TableKey(stream, path.prefix(path.length() - 1).enclosingElement());
  }

  @Override
  public int compareTo(TableKey other) {
    int byStream = stream.compareTo(other.stream);
    if (byStream != 0) {
      return byStream;
    }
    int byDepth = Integer.compare(path.length(), other.path.length());
    return byDepth != 0 ? byDepth : path.compareTo(other.path);
  }

  @Override
  public String toString() {
    return path.isRoot() ? stream : stream + ":" + path;
  }
}
