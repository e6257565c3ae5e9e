package io.observes.pipeline.load;

import io.observes.pipeline.Target;
import io.observes.pipeline.schema.Bookkeeping;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableSchema;
import io.observes.warehouse.ProfileRequest;
import io.observes.warehouse.TableProfile;
import io.observes.warehouse.WarehouseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile of every table a run published, taken right after the publish through the same
 * warehouse client: one scan per table (rows, NULLs per column, a root table's distinct row ids, a child
 * table's rows whose parent row is missing). Profiling reads what is already committed, so its
 * failure never undoes or fails the publish: it is logged, and the run has no profile.
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

  static Taken take(WarehouseClient warehouse, Target target, Schema schema) {
    long start = System.nanoTime();
    try {
      List<TableProfile> tables = warehouse.profile(target.schema(), requests(schema));
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
    return requests;
  }
}
