package io.observes.etl.code;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiJson;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a month's bills where the platform reads them: {@code <prefix>/YYYY/MM/<group>.csv} and,
 * for the current month, the day's copy {@code <prefix>/YYYY/MM/DD/<group>.csv}. Each folder is
 * replaced as a set: every file written whole (one PUT), then the CSVs of groups no longer billed
 * deleted, then {@code _manifest.json} written last, naming the run and exactly its files. A file is
 * never half-written nor from two runs; a reader listing the folder during the few seconds of the
 * switch may find one group's file from the new run next to another's from the old, so a reader
 * that needs the whole set at once reads the manifest. (Not a pointer to a run folder: the
 * platform reads the per-group keys, which must stay where they are.)
 */
final class BillFiles {
  static final String MANIFEST = "_manifest.json";
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final ObjectStore store;
  private final String bucket;
  private final String prefix;

  BillFiles(ObjectStore store, String bucket, String prefix) {
    this.store = Objects.requireNonNull(store, "store");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** The folders a month's bills go to: the month's, and for the current month the day's. */
  List<S3Uri> folders(YearMonth month, Optional<LocalDate> day) {
    String monthKey = prefix + "/" + month.getYear() + "/" + String.format("%02d", month.getMonthValue()) + "/";
    List<S3Uri> folders = new ArrayList<>();
    folders.add(new S3Uri(bucket, monthKey));
    day.ifPresent(d -> folders.add(new S3Uri(bucket, monthKey + String.format("%02d", d.getDayOfMonth()) + "/")));
    return folders;
  }

  void publish(List<S3Uri> folders, List<Bill> bills, YearMonth month, String run, Instant now) {
    for (Bill bill : bills) {
      if (!GROUP.matcher(bill.group()).matches()) {
        throw new IllegalStateException("group '" + bill.group() + "' of code.commits is not a platform group name, so it "
            + "cannot name a bill file; nothing was written. Fix the code ETL's namespace for it.");
      }
    }
    for (S3Uri folder : folders) {
      Set<String> written = new HashSet<>();
      ArrayNode files = ApiJson.MAPPER.createArrayNode();
      for (Bill bill : bills) {
        S3Uri file = new S3Uri(bucket, folder.key() + bill.group() + ".csv");
        store.put(file, bill.csv().getBytes(StandardCharsets.UTF_8));
        written.add(file.key());
        files.addObject().put("group", bill.group()).put("key", file.key()).put("lines", bill.lines().size());
      }
      for (S3Uri old : store.list(folder)) {
        String rest = old.key().substring(folder.key().length());
        if (!rest.contains("/") && rest.endsWith(".csv") && !written.contains(old.key())) {
          store.delete(old);
        }
      }
      ObjectNode manifest = ApiJson.MAPPER.createObjectNode().put("month", month.toString()).put("run", run)
          .put("written_at", now.toString());
      manifest.set("files", files);
      store.put(new S3Uri(bucket, folder.key() + MANIFEST), manifest.toPrettyString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
