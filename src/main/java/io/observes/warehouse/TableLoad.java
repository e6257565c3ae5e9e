package io.observes.warehouse;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * One table's staged files of every segment of a run, loaded in one transaction: the files come in
 * groups that share a column list and a compression (usually one group: segments stage the columns
 * the run's schema knows, in its order, all zstd), each group one COPY. {@code inputs} names the staging of every segment the
 * files come from, so a load of re-staged data is told apart.
 */
public record TableLoad(String table, String run, SegmentInputs inputs, long expectedRows, List<CopyGroup> groups,
    FileOpener opener) {
  public TableLoad {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(inputs, "inputs");
    groups = List.copyOf(groups);
    Objects.requireNonNull(opener, "opener");
  }

  /** Files with one column list (in file order) and one compression, and the Redshift COPY manifest listing them. */
  public record CopyGroup(List<String> columns, Compression compression, List<StagedFile> files, String copyManifest) {
    public CopyGroup {
      columns = List.copyOf(columns);
      Objects.requireNonNull(compression, "compression");
      files = List.copyOf(files);
      Objects.requireNonNull(copyManifest, "copyManifest");
    }

    public long rows() {
      return files.stream().mapToLong(StagedFile::rows).sum();
    }
  }

  /** A staged file and the rows it holds. */
  public record StagedFile(String uri, long rows) {}

  /** Opens a staged file's bytes (compressed, as stored), for dialects that stream files through the connection. */
  @FunctionalInterface
  public interface FileOpener {
    InputStream open(String uri);
  }
}
