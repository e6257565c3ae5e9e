package io.observes.warehouse;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * One table's staged files of one segment: the column list of the files (in file order), the gzip
 * CSV files, the COPY manifest listing them, and the rows the stage wrote. {@code manifestId}
 * identifies the staging of the segment, so a load of a re-staged segment is told apart.
 */
public record TableLoad(
    String table,
    List<String> columns,
    List<StagedFile> files,
    String copyManifest,
    String run,
    int segment,
    String manifestId,
    long expectedRows,
    FileOpener opener) {
  public TableLoad {
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
    files = List.copyOf(files);
    Objects.requireNonNull(copyManifest, "copyManifest");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(manifestId, "manifestId");
    Objects.requireNonNull(opener, "opener");
  }

  /** A staged file and the rows it holds. */
  public record StagedFile(String uri, long rows) {}

  /** Opens a staged file's bytes (gzip), for dialects that stream files through the connection. */
  @FunctionalInterface
  public interface FileOpener {
    InputStream open(String uri);
  }
}
