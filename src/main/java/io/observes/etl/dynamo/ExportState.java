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

  private final StateStore state;

  public ExportState(StateStore state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  /** Records {@code export} as the ETL's last full export (a conditional write on the version read). */
  public void record(TableExport export, String run, Instant now) {
    Optional<StateVersion> current = state.read();
    ObjectNode data = current.map(v -> (ObjectNode) v.data().deepCopy()).orElseGet(JsonNodeFactory.instance::objectNode);
    data.set(FIELD, export.toJson());
    state.write(data, current, run, now);
  }

  /** The last full export recorded, if any. */
  public Optional<TableExport> last() {
    return state.read().flatMap(v -> {
      JsonNode node = v.data().get(FIELD);
      return node == null ? Optional.empty() : Optional.of(TableExport.fromJson(node, state.uri() + " " + FIELD));
    });
  }

  public String where() {
    return state.uri().toString();
  }
}
