package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.observes.state.StateStore;
import io.observes.state.StateVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The dynamo ETL's state ({@code s3://<state bucket>/dynamodb/state.json}) as far as exports go:
 * the last completed full export {@code observes etl dynamo export} made or adopted, under
 * {@code "full_export"}, so that phase1 finds it without being told. Other fields of the state are
 * kept as they are.
 */
public final class ExportState {
  static final String FIELD = "full_export";
  /** The end of the last incremental window whose changes were committed to the warehouse. */
  static final String APPLIED = "incremental_applied_to";

  private final StateStore state;

  public ExportState(StateStore state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  /** Records {@code export} as the ETL's last full export (a conditional write on the version read). */
  public void record(TableExport export, String run, Instant now) {
    Optional<StateVersion> current = state.read();
    ObjectNode data = current.map(v -> (ObjectNode) v.data().deepCopy()).orElseGet(JsonNodeFactory.instance::objectNode);
    data.set(FIELD, export.toJson());
    // The applied time stays: the warehouse holds the table as of it until a refresh from this
    // export publishes (its phase4 moves the applied time to the export's). Moving it here would
    // make an incremental run between the two skip every change from it to the export's time.
    state.write(data, current, run, now);
  }

  /** The last full export recorded, if any. */
  public Optional<TableExport> last() {
    return state.read().flatMap(v -> {
      JsonNode node = v.data().get(FIELD);
      return node == null ? Optional.empty() : Optional.of(TableExport.fromJson(node, state.uri() + " " + FIELD));
    });
  }

  /**
   * Where the next incremental run starts: the end of the last committed window, or the time of the
   * export the last refresh from an export published (empty: the warehouse was never loaded from one).
   */
  public Optional<Instant> appliedTo() {
    return state.read().flatMap(v -> {
      JsonNode applied = v.data().get(APPLIED);
      if (applied == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(Instant.parse(applied.asText()));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalStateException(state.uri() + " " + APPLIED + " is not a time: " + applied, e);
      }
    });
  }

  /**
   * How long before a scan refresh took its lease its changes are applied again: AWS lets an
   * incremental export's window edges drift by about a minute, and the clocks of hosts differ.
   */
  public static final Duration SCAN_MARGIN = Duration.ofMinutes(5);

  /**
   * Records where incremental runs start after a full refresh published (its swap replaced whatever
   * they had applied): an export's time (a snapshot); for a scan, which is no snapshot but reads each
   * item as of some moment after the refresh took its lease (which kept incremental runs out since),
   * that moment less {@link #SCAN_MARGIN}. Applying a change again is safe, skipping one is not: when
   * a segment was staged before {@code leaseTakenAt} (the refresh lost its lease and took it again),
   * its reads may have begun earlier, so the state keeps its point and nothing is recorded.
   *
   * @return the point recorded, if any
   */
  public Optional<Instant> refreshed(Optional<Instant> exportTime, Instant leaseTakenAt, Optional<Instant> firstStaged,
      String run, Instant now) {
    Optional<Instant> from = exportTime.isPresent() ? exportTime
        : firstStaged.filter(staged -> !staged.isBefore(leaseTakenAt)).map(staged -> leaseTakenAt.minus(SCAN_MARGIN));
    from.ifPresent(at -> applied(at, run, now));
    return from;
  }

  /** Records that the changes up to {@code to} are in the warehouse: called only after the commit. */
  public void applied(Instant to, String run, Instant now) {
    Optional<StateVersion> current = state.read();
    ObjectNode data = current.map(v -> (ObjectNode) v.data().deepCopy()).orElseGet(JsonNodeFactory.instance::objectNode);
    data.put(APPLIED, to.toString());
    state.write(data, current, run, now);
  }

  public String where() {
    return state.uri().toString();
  }
}
