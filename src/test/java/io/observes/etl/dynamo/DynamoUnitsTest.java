package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.value.Value;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class DynamoUnitsTest {
  static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }

  @Test
  void attributeValuesBecomeExactValues() {
    Value.Obj value = DynamoItems.toValue(Map.of(
        "n", AttributeValue.builder().n("123456789012345678901234567890.12345678").build(),
        "b", AttributeValue.builder().b(SdkBytes.fromByteArray(new byte[] {0, -1})).build(),
        "ns", AttributeValue.builder().ns("10", "-2.5", "3").build(),
        "ss", AttributeValue.builder().ss("b", "a").build(),
        "nul", AttributeValue.builder().nul(true).build(),
        "m", AttributeValue.builder().m(Map.of("l", AttributeValue.builder().l(s("x"), AttributeValue.builder().bool(true).build()).build())).build()));
    assertThat(value.fields().keySet()).containsExactly("b", "m", "n", "ns", "nul", "ss");
    assertThat(((Value.Numeric) value.fields().get("n")).text()).isEqualTo("123456789012345678901234567890.12345678");
    assertThat(value.fields().get("b")).isEqualTo(new Value.Binary(new byte[] {0, -1}));
    Value.Array ns = (Value.Array) value.fields().get("ns");
    assertThat(ns.set()).isTrue();
    assertThat(ns.items()).extracting(v -> ((Value.Numeric) v).text()).containsExactly("-2.5", "3", "10");
    assertThat(((Value.Array) value.fields().get("ss")).items()).containsExactly(new Value.Text("a"), new Value.Text("b"));
    assertThat(value.fields().get("nul")).isEqualTo(Value.Null.INSTANCE);
    assertThat(((Value.Array) ((Value.Obj) value.fields().get("m")).fields().get("l")).items())
        .containsExactly(new Value.Text("x"), new Value.Bool(true));
  }

  @Test
  void theRateLimitPacesReadsToTheBudget() {
    AtomicLong now = new AtomicLong();
    List<Long> waits = new ArrayList<>();
    ReadRateLimit limit = new ReadRateLimit(100, now::get, nanos -> {
      waits.add(nanos);
      now.addAndGet(nanos);
    });
    limit.consumed(50);
    assertThat(waits).containsExactly(500_000_000L);
    now.addAndGet(2_000_000_000L);
    limit.consumed(50);
    assertThat(waits).hasSize(1);
    limit.consumed(300);
    assertThat(waits).hasSize(2);
    assertThat(now.get()).isEqualTo(4_000_000_000L);
    assertThatThrownBy(() -> new ReadRateLimit(0, now::get, n -> {})).hasMessageContaining("positive");
  }

  /** The AWS SDK's own client interface, answering Scan with scripted pages (an empty one in the middle). */
  static final class ScriptedDynamo implements DynamoDbClient {
    final List<ScanResponse> pages;
    final List<ScanRequest> requests = new ArrayList<>();

    ScriptedDynamo(List<ScanResponse> pages) {
      this.pages = pages;
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
      return DescribeTableResponse.builder().table(TableDescription.builder().keySchema(
          KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
          KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()).build()).build();
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
      requests.add(request);
      return pages.get(requests.size() - 1);
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  static Map<String, AttributeValue> item(String pk) {
    return Map.of("pk", s(pk), "sk", s("S#1"), "v", s(pk.toLowerCase()));
  }

  static ScanResponse page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> last) {
    ScanResponse.Builder b = ScanResponse.builder().items(items).count(items.size())
        .consumedCapacity(ConsumedCapacity.builder().capacityUnits(0.5).build());
    return (last == null ? b : b.lastEvaluatedKey(last)).build();
  }

  @Test
  void aScanFollowsLastEvaluatedKeyPastEmptyPages() {
    ScriptedDynamo dynamo = new ScriptedDynamo(List.of(
        page(List.of(item("VULN#1"), item("VULN#2")), item("VULN#2")),
        page(List.of(), item("VULN#3")),
        page(List.of(item("VULN#4")), null)));
    SegmentScan scan = new SegmentScan(dynamo, new SegmentScan.Settings("t", 2, 0), TableRouting.single("t"));
    io.observes.pipeline.ReadProgress counters = new io.observes.pipeline.ReadProgress();
    List<SourceRecord> records = scan.records(new Segment(3, 8), counters).toList();

    assertThat(records).extracting(r -> r.key().get(0)).containsExactly("VULN#1", "VULN#2", "VULN#4");
    assertThat(records.get(0).key()).containsExactly("VULN#1", "S#1");
    assertThat(counters.pages()).isEqualTo(3);
    assertThat(counters.records()).isEqualTo(3);
    assertThat(dynamo.requests).allSatisfy(r -> {
      assertThat(r.segment()).isEqualTo(3);
      assertThat(r.totalSegments()).isEqualTo(8);
      assertThat(r.limit()).isEqualTo(2);
      assertThat(r.consistentRead()).isFalse();
    });
    assertThat(dynamo.requests.get(0).exclusiveStartKey()).isEmpty();
    assertThat(dynamo.requests.get(2).exclusiveStartKey()).isEqualTo(item("VULN#3"));
  }
}
