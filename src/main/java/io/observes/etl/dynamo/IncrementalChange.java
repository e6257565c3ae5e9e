package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.etl.dynamo.ExportManifest.DataFile;
import io.observes.storage.ObjectStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One line of an incremental export's data file: the item's {@code Keys}, its {@code NewImage} as of
 * the end of the window (none when the item was deleted) and the time of its last write in the window
 * ({@code Metadata.WriteTimestampMicros}). An item changed several times in a window appears once,
 * with its last image; an item may appear in two adjacent windows (AWS lets window edges drift), so a
 * consumer applies an image only if its write time is newer than the one it holds.
 * {@code OldImage} (NEW_AND_OLD_IMAGES: the item before the window's first change) routes a deletion:
 * the facet an item belongs to can depend on attributes other than its keys.
 */
public record IncrementalChange(Map<String, AttributeValue> keys, Optional<Map<String, AttributeValue>> newImage,
    Optional<Map<String, AttributeValue>> oldImage, long writeMicros) {
  private static final Set<String> FIELDS = Set.of("Metadata", "Keys", "NewImage", "OldImage");

  public IncrementalChange {
    keys = Map.copyOf(Objects.requireNonNull(keys, "keys"));
    newImage = Objects.requireNonNull(newImage, "newImage").map(Map::copyOf);
    oldImage = Objects.requireNonNull(oldImage, "oldImage").map(Map::copyOf);
  }

  public boolean deleted() {
    return newImage.isEmpty();
  }

  /** The changes of an incremental export's file, each line checked; the file's count and MD5 as a full export's. */
  public static Stream<IncrementalChange> read(ObjectStore store, DataFile file) {
    return ExportDataFile.lines(store, file, IncrementalChange::parse);
  }

  /** One line, {@code where} naming it in errors. */
  static IncrementalChange parse(JsonNode line, String where) {
    line.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw new IllegalStateException(where + ": a line of an incremental export has Metadata, Keys, NewImage and "
            + "OldImage, not '" + (name.length() > 40 ? name.substring(0, 40) : name) + "'");
      }
    });
    if (!line.has("Keys")) {
      throw new IllegalStateException(where + ": a line of an incremental export has Keys");
    }
    Map<String, AttributeValue> keys = DynamoJson.item(line.get("Keys"), where + " Keys");
    if (keys.isEmpty()) {
      throw new IllegalStateException(where + ": Keys is empty");
    }
    JsonNode micros = line.path("Metadata").path("WriteTimestampMicros");
    AttributeValue time = DynamoJson.value(micros.isMissingNode() ? null : micros, where + " Metadata.WriteTimestampMicros");
    long writeMicros;
    try {
      writeMicros = time.n() == null ? -1 : Long.parseLong(time.n());
    } catch (NumberFormatException e) {
      writeMicros = -1;
    }
    if (writeMicros <= 0) {
      throw new IllegalStateException(where + ": Metadata.WriteTimestampMicros is a positive whole number (N) of "
          + "microseconds since the epoch, not " + micros);
    }
    Optional<Map<String, AttributeValue>> image = Optional.empty();
    if (line.has("NewImage")) {
      Map<String, AttributeValue> item = DynamoJson.item(line.get("NewImage"), where + " NewImage");
      keys.forEach((name, value) -> {
        if (!value.equals(item.get(name))) {
          throw new IllegalStateException(where + ": NewImage." + name + " is not the item's key in Keys");
        }
      });
      image = Optional.of(item);
    }
    Optional<Map<String, AttributeValue>> old = Optional.empty();
    if (line.has("OldImage")) {
      Map<String, AttributeValue> item = DynamoJson.item(line.get("OldImage"), where + " OldImage");
      keys.forEach((name, value) -> {
        if (!value.equals(item.get(name))) {
          throw new IllegalStateException(where + ": OldImage." + name + " is not the item's key in Keys");
        }
      });
      old = Optional.of(item);
    }
    return new IncrementalChange(keys, image, old, writeMicros);
  }
}
