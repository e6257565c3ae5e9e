package io.observes.etl.dynamo;

import io.observes.etl.dynamo.ExportManifest.DataFile;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.storage.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A segment of a completed export: the data files the manifest assigns to it ({@link
 * ExportManifest#of}), read one after the other, each item made a record exactly as a scanned one.
 * Reads no capacity from the table.
 */
public final class ExportScan implements SegmentReader {
  private final ObjectStore store;
  private final ExportManifest manifest;
  private final Function<Map<String, AttributeValue>, SourceRecord> record;

  public ExportScan(ObjectStore store, ExportManifest manifest, Function<Map<String, AttributeValue>, SourceRecord> record) {
    this.store = Objects.requireNonNull(store, "store");
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.record = Objects.requireNonNull(record, "record");
  }

  public ExportManifest manifest() {
    return manifest;
  }

  @Override
  public Stream<SourceRecord> records(Segment segment, ReadProgress progress) {
    List<DataFile> files = manifest.of(segment);
    return files.stream().flatMap(file -> {
      progress.page();
      progress.at("export " + manifest.export().id() + " file " + (file.index() + 1) + " of " + manifest.files().size());
      return ExportDataFile.items(store, file).map(item -> {
        progress.record();
        try {
          return record.apply(item);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(file.uri() + ": " + e.getMessage(), e);
        }
      });
    });
  }
}
