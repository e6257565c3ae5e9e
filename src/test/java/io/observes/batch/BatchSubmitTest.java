package io.observes.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.observes.cli.Main;
import io.observes.config.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Submission and the scheduler against WireMock as the AWS Batch endpoint (REST-JSON, /v1/...). */
class BatchSubmitTest {
  WireMockServer batch;

  @BeforeEach
  void start() {
    batch = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    batch.start();
    batch.stubFor(post(urlPathEqualTo("/v1/listjobs")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"jobSummaryList\": []}")));
    batch.stubFor(post(urlPathEqualTo("/v1/submitjob")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withTransformers("response-template")
        .withBody("{\"jobArn\": \"arn:aws:batch:us-east-1:123456789012:job/{{jsonPath request.body '$.jobName'}}-id\","
            + " \"jobName\": \"{{jsonPath request.body '$.jobName'}}\", \"jobId\": \"{{jsonPath request.body '$.jobName'}}-id\"}")));
  }

  @AfterEach
  void stop() {
    batch.stop();
  }

  record Result(int code, String out, String err) {}

  Result cli(String... args) {
    CommandLine cli = Main.commandLine(new Environment(Map.of("AWS_ENDPOINT_URL_BATCH", "http://127.0.0.1:" + batch.port(),
        "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "us-east-1")));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new Result(cli.execute(args), out.toString(), err.toString());
  }

  List<LoggedRequest> submitted() {
    return batch.findAll(postRequestedFor(urlPathEqualTo("/v1/submitjob")));
  }

  @Test
  void aSingleNodeJobIsSubmittedWithContainerOverrides() {
    Result r = cli("batch", "submit", "compute-bills", "--catalogue", "etl-jobs", "--run-id", "run-7");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("submitted compute-bills as job observes-compute-bills-id (run run-7)");
    batch.verify(1, postRequestedFor(urlPathEqualTo("/v1/submitjob")).withRequestBody(equalToJson("""
        {"jobName": "observes-compute-bills", "jobQueue": "observes_medium", "jobDefinition": "observes-compute-bills",
         "containerOverrides": {"environment": [{"name": "OBSERVES_RUN_ID", "value": "run-7"},
             {"name": "OBSERVES_JOB_TIMEOUT_SECONDS", "value": "7200"}, {"name": "OBSERVES_JOB_ATTEMPTS", "value": "2"}],
           "resourceRequirements": [{"type": "VCPU", "value": "2"}, {"type": "MEMORY", "value": "7600"}]},
         "retryStrategy": {"attempts": 2}, "timeout": {"attemptDurationSeconds": 7200},
         "tags": {"product": "observes", "job": "compute-bills", "run": "run-7"}, "propagateTags": true}""")));
  }

  @Test
  void theDynamoRefreshIsOneChainWithOneRunId() {
    Result r = cli("etl", "dynamo", "submit", "--catalogue", "etl-jobs", "--run-id", "nightly-1");
    assertThat(r.code()).as(r.err()).isZero();
    List<LoggedRequest> requests = submitted();
    assertThat(requests).hasSize(4);
    batch.verify(postRequestedFor(urlPathEqualTo("/v1/submitjob")).withRequestBody(equalToJson("""
        {"jobName": "observes-dynamo-phase1", "jobQueue": "observes_small", "jobDefinition": "observes-dynamo-phase1",
         "nodeOverrides": {"numNodes": 240, "nodePropertyOverrides": [{"targetNodes": "0:", "containerOverrides": {
           "environment": [{"name": "OBSERVES_RUN_ID", "value": "nightly-1"},
             {"name": "OBSERVES_JOB_TIMEOUT_SECONDS", "value": "14400"}, {"name": "OBSERVES_JOB_ATTEMPTS", "value": "2"}],
           "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "3800"}]}}]},
         "retryStrategy": {"attempts": 2}, "timeout": {"attemptDurationSeconds": 14400},
         "tags": {"product": "observes", "job": "dynamo-phase1", "run": "nightly-1"}, "propagateTags": true}""")));
    batch.verify(postRequestedFor(urlPathEqualTo("/v1/submitjob"))
        .withRequestBody(matchingJsonPath("$.jobName", com.github.tomakehurst.wiremock.client.WireMock.equalTo("observes-dynamo-phase3")))
        .withRequestBody(matchingJsonPath("$.dependsOn[0].jobId", com.github.tomakehurst.wiremock.client.WireMock.equalTo("observes-dynamo-phase2-id")))
        // phase3 loads each table once from all segments: one node, not one per segment.
        .withRequestBody(matchingJsonPath("$.containerOverrides.resourceRequirements[0].value", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1")))
        .withRequestBody(matchingJsonPath("$.containerOverrides.environment[?(@.name == 'OBSERVES_REDSHIFT_QUERY_GROUP')]").or(
            matchingJsonPath("$.nodeOverrides.nodePropertyOverrides[0].containerOverrides.environment[?(@.name == 'OBSERVES_REDSHIFT_QUERY_GROUP')]"))));
    assertThat(requests).extracting(q -> q.getBodyAsString().replaceAll(".*\"jobName\":\"([^\"]+)\".*", "$1"))
        .containsExactly("observes-dynamo-phase1", "observes-dynamo-phase2", "observes-dynamo-phase3", "observes-dynamo-phase4");
    assertThat(requests.get(2).getBodyAsString()).doesNotContain("nodeOverrides");
    assertThat(requests.get(3).getBodyAsString()).contains("\"dependsOn\":[{\"jobId\":\"observes-dynamo-phase3-id\"}]")
        .contains("\"value\":\"nightly-1\"");
  }

  @Test
  void theDynamoRefreshFromAnExportStartsWithTheExportAndPhase1WaitsForIt() {
    Result r = cli("etl", "dynamo", "submit", "--source", "export", "--catalogue", "etl-jobs", "--run-id", "nightly-2");
    assertThat(r.code()).as(r.err()).isZero();
    List<LoggedRequest> requests = submitted();
    assertThat(requests).extracting(q -> q.getBodyAsString().replaceAll(".*\"jobName\":\"([^\"]+)\".*", "$1"))
        .containsExactly("observes-dynamo-export", "observes-dynamo-phase1", "observes-dynamo-phase2",
            "observes-dynamo-phase3", "observes-dynamo-phase4");
    assertThat(requests.get(0).getBodyAsString()).doesNotContain("dependsOn").contains("\"value\":\"nightly-2\"");
    // The export pins itself to the run id; phase1 of that run then reads it without being told.
    assertThat(requests.get(1).getBodyAsString()).contains("\"dependsOn\":[{\"jobId\":\"observes-dynamo-export-id\"}]")
        .contains("\"value\":\"nightly-2\"").doesNotContain("OBSERVES_DYNAMO_SOURCE");
    Result bad = cli("etl", "dynamo", "submit", "--source", "ion", "--catalogue", "etl-jobs");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--source is scan or export");
  }

  @Test
  void aJobAlreadyRunnableIsNotSubmittedAgain() {
    batch.stubFor(post(urlPathEqualTo("/v1/listjobs")).withRequestBody(matchingJsonPath("$.jobStatus",
            com.github.tomakehurst.wiremock.client.WireMock.equalTo("RUNNABLE")))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
            {"jobSummaryList": [{"jobArn": "arn:aws:batch:us-east-1:123456789012:job/abc", "jobId": "abc",
              "jobName": "observes-checkly", "createdAt": 1763870400000, "status": "RUNNABLE"}]}""")));
    Result r = cli("batch", "submit", "checkly", "--catalogue", "etl-jobs");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("skipped checkly: job abc of that name is already RUNNABLE in observes_small");
    assertThat(submitted()).isEmpty();
  }

  @Test
  void dryRunPrintsTheRequestAndCallsNothing() {
    Result r = cli("batch", "submit", "cancel-ci-jobs", "--catalogue", "etl-jobs", "--dry-run", "--run-id", "r1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"jobName\" : \"observes-cancel-ci-jobs\"", "\"attemptDurationSeconds\" : 1800");
    assertThat(batch.getAllServeEvents()).isEmpty();
  }

  @Test
  void theSchedulerSubmitsDueJobsIndependently() {
    batch.stubFor(post(urlPathEqualTo("/v1/submitjob")).withRequestBody(matchingJsonPath("$.jobName",
            com.github.tomakehurst.wiremock.client.WireMock.equalTo("observes-checkly")))
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
            .withHeader("x-amzn-ErrorType", "ClientException")
            .withBody("{\"message\": \"Job definition observes-checkly does not exist\"}")));
    Result r = cli("job", "scheduler", "--catalogue", "etl-jobs", "--at", "2026-11-23T17:00Z");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("6 job(s) due");
    assertThat(r.err()).contains("checkly").contains("does not exist").contains("--at");
    assertThat(submitted()).extracting(q -> q.getBodyAsString().replaceAll(".*\"jobName\":\"([^\"]+)\".*", "$1"))
        .contains("observes-batch-stability", "observes-compute-bills", "observes-gitlab-ephemeral", "observes-checkly", "observes-dq-check", "observes-dynamo-incremental");
  }

  @Test
  void anInvalidCatalogueIsAConfigurationError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("x.yaml"), "name: x\ncommand: [etl]\nsize: giant\n");
    Result r = cli("batch", "submit", "x", "--catalogue", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("x.yaml: size: 'giant'");
  }
}
