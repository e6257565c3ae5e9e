package io.observes.etl.timedoctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiJson;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Months of TimeDoctor kept in S3, because the API serves only a few months back:
 * {@code <prefix>/<YYYY-MM>/<run>/<stream>.jsonl.gz} (one row per line, lossless JSON) and
 * {@code <prefix>/<YYYY-MM>/manifest.json}, written last, naming the run whose files are the month.
 * Backing a month up again writes a new run's files, switches the manifest, then deletes the old
 * run's: a reader that follows the manifest sees one whole month, never half of one.
 *
 * <p>The manifest is switched only over the version this backup read when it started (If-Match its
 * ETag, or If-None-Match for a first backup), and only when no stream lost records (unless told to
 * replace); otherwise this run's own files are deleted and the month stays as it was. The older
 * files are deleted only once the manifest names this run. So two backups of a month, even one that
 * lost its run lease while stalled, never leave a manifest naming files that are gone.
 */
public final class TimeDoctorBackups {
  public static final String PREFIX = "backup_timedoctor";
  static final String MANIFEST = "manifest.json";

  private final ObjectStore store;
  private final String bucket;
  private final String prefix;
  private final Path work;

  public TimeDoctorBackups(ObjectStore store, String bucket, String prefix, Path work) {
    this.store = Objects.requireNonNull(store, "store");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.work = Objects.requireNonNull(work, "work");
  }

  /**
   * Writes {@code month} from {@code rows} by stream; returns the rows written per stream. The month's
   * manifest as it is now is read first; {@code beforeSwitch} runs just before the manifest is
   * switched (the run lease's check).
   *
   * @param replace whether a backup holding more records of some stream may be replaced
   * @throws IllegalStateException when a stream would lose records (without {@code replace}), or the
   *     manifest changed since this backup read it; this run's files are deleted, the month unchanged
   */
  Map<String, Long> write(YearMonth month, String run, Map<String, Stream<Value.Obj>> rows, Instant now, boolean replace,
      Runnable beforeSwitch) {
    S3Uri manifestUri = new S3Uri(bucket, monthKey(month) + MANIFEST);
    Optional<StoredObject> found = store.readVersioned(manifestUri);
    Optional<BackupManifest> held = found.isEmpty() ? Optional.empty() : parseUnlessReplacing(month, found.get(), replace);
    Map<String, Long> counts = new LinkedHashMap<>();
    ObjectNode manifest = ApiJson.MAPPER.createObjectNode().put("month", month.toString()).put("run", run)
        .put("written_at", now.toString());
    ObjectNode streams = manifest.putObject("streams");
    try {
      for (Map.Entry<String, Stream<Value.Obj>> stream : rows.entrySet()) {
        S3Uri file = new S3Uri(bucket, monthKey(month) + run + "/" + stream.getKey() + ".jsonl.gz");
        long n = upload(file, stream.getValue());
        counts.put(stream.getKey(), n);
        streams.putObject(stream.getKey()).put("key", file.key()).put("rows", n);
      }
      if (!replace) {
        held.ifPresent(h -> h.requireNoLoss(counts));
      }
      beforeSwitch.run();
      byte[] bytes = manifest.toPrettyString().getBytes(StandardCharsets.UTF_8);
      boolean switched = found.isPresent() ? store.putIfMatch(manifestUri, bytes, found.get().etag())
          : store.putIfAbsent(manifestUri, bytes);
      // A PUT whose answer was lost is retried and refused by its own write: finding it there, it happened.
      if (!switched && !store.read(manifestUri).map(b -> Arrays.equals(b, bytes)).orElse(false)) {
        throw new IllegalStateException("the TimeDoctor backup of " + month + " changed while run " + run + " read it "
            + "(another backup switched " + manifestUri + "): that backup is kept, and this run's files are deleted");
      }
    } catch (RuntimeException | Error e) {
      deleteRun(month, run);
      throw e;
    }
    // The manifest names this run now: only now may the files it replaced go.
    for (S3Uri old : store.list(new S3Uri(bucket, monthKey(month)))) {
      if (!old.key().startsWith(monthKey(month) + run + "/") && !old.key().endsWith("/" + MANIFEST)) {
        store.delete(old);
      }
    }
    return counts;
  }

  private static Optional<BackupManifest> parseUnlessReplacing(YearMonth month, StoredObject found, boolean replace) {
    try {
      return Optional.of(BackupManifest.parse(month, found));
    } catch (IllegalStateException e) {
      if (replace) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** This run's files of {@code month}, deleted: the month stays the backup the manifest names. */
  private void deleteRun(YearMonth month, String run) {
    try {
      for (S3Uri file : store.list(new S3Uri(bucket, monthKey(month) + run + "/"))) {
        store.delete(file);
      }
    } catch (RuntimeException e) {
      // The manifest does not name them: a later backup of the month deletes them.
      org.slf4j.LoggerFactory.getLogger(TimeDoctorBackups.class).warn("deleting the files of run {} under {} failed: {}",
          run, monthKey(month), e.getMessage());
    }
  }

  private long upload(S3Uri file, Stream<Value.Obj> rows) {
    Path spool = null;
    try {
      Files.createDirectories(work);
      spool = Files.createTempFile(work, "timedoctor-backup", ".jsonl.gz");
      long n = 0;
      try (Writer out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(spool), 1 << 16),
          StandardCharsets.UTF_8)); rows) {
        for (Iterator<Value.Obj> it = rows.iterator(); it.hasNext(); n++) {
          // ASCII JSON: a lone surrogate (which the API may escape, and the load must refuse) stays
          // its escape; written as UTF-8 it would become '?' and load altered from the backup.
          out.write(JsonValues.toAsciiJson(it.next()));
          out.write('\n');
        }
      }
      store.put(file, spool);
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("could not spool the backup " + file + " in " + work + ": " + e.getMessage(), e);
    } finally {
      if (spool != null) {
        try {
          Files.deleteIfExists(spool);
        } catch (IOException ignored) {
          // a temporary file; the work directory is the job's
        }
      }
    }
  }

  /** The months backed up (those with a manifest), oldest first. */
  List<YearMonth> months() {
    TreeSet<YearMonth> months = new TreeSet<>();
    for (S3Uri uri : store.list(new S3Uri(bucket, prefix + "/"))) {
      String rest = uri.key().substring(prefix.length() + 1);
      if (rest.endsWith("/" + MANIFEST) && rest.indexOf('/') == rest.lastIndexOf('/')) {
        try {
          months.add(YearMonth.parse(rest.substring(0, rest.indexOf('/'))));
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalStateException(uri + " is not in a YYYY-MM folder of the TimeDoctor backups: move or delete it");
        }
      }
    }
    return new ArrayList<>(months);
  }

  /** The rows of {@code stream} backed up for {@code month}, read as they are consumed. */
  Stream<Value.Obj> read(YearMonth month, String stream) {
    S3Uri manifestUri = new S3Uri(bucket, monthKey(month) + MANIFEST);
    JsonNode manifest;
    try {
      manifest = ApiJson.MAPPER.readTree(store.read(manifestUri).orElseThrow(
          () -> new IllegalStateException("the TimeDoctor backup of " + month + " has no manifest " + manifestUri)));
    } catch (IOException e) {
      throw new IllegalStateException(manifestUri + " is not a backup manifest: " + e.getMessage()
          + ". Back the month up again (observes etl timedoctor backup --month " + month + ").", e);
    }
    JsonNode key = manifest.path("streams").path(stream).path("key");
    if (!key.isTextual()) {
      throw new IllegalStateException(manifestUri + " names no " + stream + " file. Back the month up again "
          + "(observes etl timedoctor backup --month " + month + ").");
    }
    S3Uri file = new S3Uri(bucket, key.asText());
    BufferedReader lines;
    try {
      // Strictly (a decoder that reports): a backup is written as ASCII JSON, so a byte that is not
      // UTF-8 is damage to be named, never read as U+FFFD.
      lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(store.open(file), 1 << 16),
          StandardCharsets.UTF_8.newDecoder()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    Iterator<String> read = lines.lines().iterator();
    long[] line = {0};
    Iterator<String> numbered = new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return read.hasNext();
        } catch (UncheckedIOException e) {
          throw new IllegalStateException(file + " is damaged after line " + line[0] + " (" + e.getCause()
              + ": its bytes are not UTF-8). Back the month up again (observes etl timedoctor backup --month " + month
              + ").", e);
        }
      }

      @Override
      public String next() {
        line[0]++;
        return read.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(numbered, Spliterator.ORDERED), false)
        .filter(l -> !l.isBlank()).map(l -> {
          try {
            return (Value.Obj) JsonValues.parse(l);
          } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(file + " line " + line[0] + " is not a backed-up row (" + e.getMessage()
                + "). Back the month up again (observes etl timedoctor backup --month " + month + ").", e);
          }
        }).onClose(() -> {
          try {
            lines.close();
          } catch (IOException ignored) {
            // read to the end or abandoned; nothing to keep
          }
        });
  }

  private String monthKey(YearMonth month) {
    return prefix + "/" + month + "/";
  }
}
