package io.observes.pipeline.load;

import io.observes.pipeline.RunId;
import io.observes.pipeline.Target;
import io.observes.pipeline.schema.Bookkeeping;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.warehouse.ProfileRequest;
import io.observes.warehouse.StagedCounts;
import io.observes.warehouse.TableProfile;
import io.observes.warehouse.WarehouseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile of every table a run published, taken right after the publish through the same
 * warehouse client, one read per table at most: rows, NULLs per column, a root table's distinct row
 * ids, a child table's rows whose parent row is missing. A table a swap published takes its rows and
 * NULLs from its staged files ({@link StagedValues}) and is read only for its keys and orphans; a
 * merged table is scanned. Profiling reads what is already committed, so its failure never undoes or
 * fails the publish: it is logged, and the run has no profile.
 */
public final class PublishedProfiles {
  private static final Logger LOG = LoggerFactory.getLogger(PublishedProfiles.class);

  private PublishedProfiles() {}

  /** The profiles and the time the whole step took. */
  public record Taken(List<TableProfile> tables, Duration took) {
    public Taken {
      tables = List.copyOf(tables);
      Objects.requireNonNull(took, "took");
    }

    public static Taken none() {
      return new Taken(List.of(), Duration.ZERO);
    }
  }

  /** {@code swapped}: the manifests of the staged files a swap just published (empty after a merge: every table scanned). */
  static Taken take(WarehouseClient warehouse, Target target, Schema schema, RunId run, Optional<List<Manifest>> swapped) {
    long start = System.nanoTime();
    try {
      Map<String, StagedCounts> staged = swapped.map(m -> staged(run, schema, m)).orElse(Map.of());
      List<TableProfile> tables = warehouse.profile(target.schema(), requests(schema, staged));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      LOG.info("profiled {} table(s) of {} in {} ms", tables.size(), target.schema(), took.toMillis());
      return new Taken(tables, took);
    } catch (RuntimeException e) {
      LOG.warn("profiling the tables of {} failed; the run is published without a profile: {}", target.schema(),
          e.getMessage());
      return Taken.none();
    }
  }

  /**
   * Root tables count their row id's distinct values (a repeat is the key check's failure); child
   * tables count their rows without a parent row, not their ids' distinct values: a child's id hashes
   * its parent's id, list path and index (RowIds.child), so it repeats only where its parent's id
   * does (the root's count shows it) or where a merge kept an old child beside its replacement (the
   * merge replaces child rows by their root: MergePublishTest); no check reads a child's count. On
   * PostgreSQL that count, a sort of every id, was most of a profile on the bench's child tables.
   */
  public static List<ProfileRequest> requests(Schema schema) {
    return requests(schema, Map.of());
  }

  /** As {@link #requests(Schema)}, each table with its counts from {@code staged} (by warehouse name) where it has them. */
  public static List<ProfileRequest> requests(Schema schema, Map<String, StagedCounts> staged) {
    String id = Bookkeeping.OBSERVES_ID.column();
    List<ProfileRequest> requests = new ArrayList<>();
    for (TableSchema table : schema.tables()) {
      if (table.key().equals(StagingPreparer.REJECTED)) {
        requests.add(ProfileRequest.plain(table.name()));
      } else if (table.key().isRoot()) {
        requests.add(ProfileRequest.root(table.name(), id));
      } else {
        String parent = schema.table(table.key().parent()).map(TableSchema::name).orElse(null);
        requests.add(parent == null ? ProfileRequest.root(table.name(), id)
            : ProfileRequest.child(table.name(), null, Bookkeeping.PARENT_ID.column(), parent, id));
      }
    }
    requests.replaceAll(r -> staged.containsKey(r.table()) ? r.withStaged(staged.get(r.table())) : r);
    return requests;
  }

  /** The counts of every table as the staged files of {@code run} hold them, from its segments' manifests. */
  public static Map<String, StagedCounts> staged(RunId run, Schema schema, Collection<Manifest> manifests) {
    return StagedValues.of(run, schema, manifests);
  }
}
