package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.observes.state.StateStore;
import io.observes.state.StateVersion;
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
    // The warehouse is loaded from this export next: incremental runs start from its time then.
    data.remove(APPLIED);
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
   * Where the next incremental run starts: the end of the last committed window, else the time of
   * the last full export (the snapshot the warehouse was loaded from).
   */
  public Optional<Instant> appliedTo() {
    return state.read().flatMap(v -> {
      JsonNode applied = v.data().get(APPLIED);
      if (applied != null) {
        try {
          return Optional.of(Instant.parse(applied.asText()));
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalStateException(state.uri() + " " + APPLIED + " is not a time: " + applied, e);
        }
      }
      JsonNode full = v.data().get(FIELD);
      return full == null ? Optional.empty() : Optional.of(TableExport.fromJson(full, state.uri() + " " + FIELD).exportTime());
    });
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
