package io.observes.etl.dynamo;

import io.observes.etl.dynamo.IncrementalWindows.Window;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;

/**
 * A completed incremental export: where its manifests are ({@link TableExport}, whose export time is
 * the window's end) and the window [from, to) it holds the changes of. Its data files are in the
 * prefix's shared {@code AWSDynamoDB/data/} folder, named by its files manifest.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html">export output format</a>
 */
public record IncrementalExport(TableExport export, Window window) {
  public IncrementalExport {
    Objects.requireNonNull(export, "export");
    Objects.requireNonNull(window, "window");
  }

  /**
   * The export DynamoDB describes, which must be a completed INCREMENTAL_EXPORT in DynamoDB JSON with
   * NewImage in its lines, over {@code asked}'s window: an answer about another export or another
   * window is refused, so a reused client token cannot hand back a different window.
   */
  public static IncrementalExport completed(ExportDescription d, String asked, Window expected) {
    if (d.exportType() != ExportType.INCREMENTAL_EXPORT) {
      throw new IllegalStateException("export " + asked + " is a " + d.exportTypeAsString() + ", not an INCREMENTAL_EXPORT");
    }
    var spec = d.incrementalExportSpecification();
    if (spec == null || spec.exportFromTime() == null || spec.exportToTime() == null) {
      throw new IllegalStateException("DynamoDB described the incremental export " + asked + " without its "
          + "IncrementalExportSpecification's ExportFromTime and ExportToTime");
    }
    Window window = new Window(spec.exportFromTime(), spec.exportToTime());
    if (!window.equals(expected)) {
      throw new IllegalStateException("export " + asked + " holds " + window.from() + " to " + window.to() + ", not the "
          + "window asked for, " + expected.from() + " to " + expected.to());
    }
    if (spec.exportViewType() != null && spec.exportViewType() != ExportViewType.NEW_AND_OLD_IMAGES
        && spec.exportViewType() != ExportViewType.NEW_IMAGE) {
      throw new IllegalStateException("export " + asked + " has ExportViewType " + spec.exportViewTypeAsString()
          + "; an incremental refresh needs each item's NewImage");
    }
    // DynamoDB's ExportTime of an incremental export is its window's end; ask for it if it is missing.
    ExportDescription timed = d.exportTime() != null ? d : d.toBuilder().exportTime(window.to()).build();
    return new IncrementalExport(TableExport.checked(timed, asked), window);
  }
}
