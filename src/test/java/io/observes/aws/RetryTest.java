package io.observes.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.config.Environment;
import io.observes.etl.dynamo.SegmentScan;
import io.observes.etl.dynamo.TableRouting;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.storage.S3ObjectStore;
import io.observes.storage.S3Uri;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The clients Observes builds retry throttling and 5xx, with responses shaped like AWS's own. */
class RetryTest {
  WireMockServer aws;

  @BeforeEach
  void start() {
    aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    aws.start();
  }

  @AfterEach
  void stop() {
    aws.stop();
  }

  AwsSettings settings() {
    String endpoint = "http://127.0.0.1:" + aws.port();
    return AwsSettings.from(new Environment(Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "us-east-1")));
  }

  static final String JSON = "application/x-amz-json-1.0";

  @Test
  void aThrottledScanIsRetriedAndNothingIsLost() {
    aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.DescribeTable"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody("""
            {"Table": {"TableName": "t", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}}""")));
    aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.Scan"))
        .inScenario("throttled").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled once")
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON).withBody("""
            {"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
             "message": "The level of configured provisioned throughput for the table was exceeded."}""")));
    aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.Scan"))
        .inScenario("throttled").whenScenarioStateIs("throttled once").willSetStateTo("throttled twice")
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON).withBody("""
            {"__type": "com.amazon.coral.availability#ThrottlingException", "message": "Rate of requests exceeds the allowed throughput."}""")));
    aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.Scan"))
        .inScenario("throttled").whenScenarioStateIs("throttled twice")
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody("""
            {"Count": 2, "ScannedCount": 2, "Items": [{"pk": {"S": "A#1"}, "n": {"N": "1.50"}}, {"pk": {"S": "A#2"}}],
             "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5}}""")));

    try (DynamoDbClient dynamo = AwsClients.dynamo(settings())) {
      List<SourceRecord> records = new SegmentScan(dynamo, new SegmentScan.Settings("t", 100, 0), TableRouting.single("t"))
          .records(new Segment(0, 1), new io.observes.pipeline.ReadProgress()).toList();
      assertThat(records).extracting(r -> r.key().get(0)).containsExactly("A#1", "A#2");
    }
    aws.verify(3, postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.Scan")));
  }

  @Test
  void s3SlowDownAndServerErrorsAreRetried() {
    aws.stubFor(put(urlPathEqualTo("/bucket/key")).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("slowed").willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/xml").withBody("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>h</HostId></Error>""")));
    aws.stubFor(put(urlPathEqualTo("/bucket/key")).inScenario("slow").whenScenarioStateIs("slowed")
        .willSetStateTo("failed").willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/xml").withBody("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>""")));
    aws.stubFor(put(urlPathEqualTo("/bucket/key")).inScenario("slow").whenScenarioStateIs("failed")
        .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"")));

    try (S3Client s3 = AwsClients.s3(settings())) {
      new S3ObjectStore(s3).put(new S3Uri("bucket", "key"), "staged".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    aws.verify(3, putRequestedFor(urlPathEqualTo("/bucket/key")).withRequestBody(containing("staged")));
  }

  @Test
  void aPartUploadThatKeepsFailingFailsTheStageWithS3sReasonAndWritesNoManifest() throws Exception {
    // Every part upload fails for good; the delete and list of the segment work.
    aws.stubFor(put(urlPathMatching("/data/.*part-.*")).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/xml").withBody("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R</RequestId><HostId>h</HostId></Error>""")));
    aws.stubFor(delete(urlPathMatching("/data/.*")).willReturn(aResponse().withStatus(204)));
    java.nio.file.Path work = java.nio.file.Files.createTempDirectory("stage-fail");
    List<SourceRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      records.add(new SourceRecord("s", List.of("k" + i), new io.observes.pipeline.value.Value.Obj(Map.of(
          "text", new io.observes.pipeline.value.Value.Text("x".repeat(200) + i)))));
    }
    try (S3Client s3 = AwsClients.s3(settings())) {
      io.observes.pipeline.stage.SegmentStager stager = new io.observes.pipeline.stage.SegmentStager(new S3ObjectStore(s3),
          new io.observes.pipeline.stage.StageLayout("data", "e"), new io.observes.pipeline.stage.SegmentStager.Settings(4, 4096, work),
          io.observes.warehouse.Dialect.POSTGRESQL, java.time.Clock.systemUTC());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> stager.stage(new io.observes.pipeline.RunId("r"), "e",
          io.observes.pipeline.Segment.only(), records.stream(), io.observes.pipeline.schema.Schema.empty(), n -> {}))
          .hasMessageContaining("Access Denied");
    }
    aws.verify(0, putRequestedFor(urlPathMatching(".*manifest.json")));
    try (var left = java.nio.file.Files.list(work)) {
      assertThat(left.toList()).as("the failed stage swept its work directory").isEmpty();
    }
  }
}
