package io.observes.etl.dynamo;

import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import java.util.stream.Stream;

/**
 * How phase1 reads one segment of the table: a parallel Scan of the live table ({@link SegmentScan})
 * or the data files of a completed export ({@link ExportScan}). Either way each item becomes the
 * same record, routed the same way, so the phases after it cannot tell them apart.
 */
public interface SegmentReader {
  Stream<SourceRecord> records(Segment segment, ReadProgress progress);
}
