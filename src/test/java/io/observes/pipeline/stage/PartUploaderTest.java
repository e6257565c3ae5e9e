package io.observes.pipeline.stage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.storage.S3ObjectStore;
import io.observes.storage.S3Uri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A failed stage closes its uploader and then sweeps the work directory. An upload still in hand used
 * to delete its part while the sweep walked the directory, and the walk's NoSuchFileException replaced
 * the stage's own error (seen once in a full build: RetryTest got it instead of S3's "Access Denied").
 */
class PartUploaderTest {
  @TempDir Path work;
  WireMockServer s3;

  @BeforeEach
  void start() {
    s3 = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    s3.start();
  }

  @AfterEach
  void stop() {
    s3.stop();
  }

  @Test
  void closeReturnsOnlyWhenThePartInHandIsLetGo() throws Exception {
    // S3 answers the part's PUT after a second: the upload is in hand when the stage gives up.
    s3.stubFor(put(urlPathEqualTo("/data/part-0.csv.zst")).willReturn(aResponse().withStatus(200)
        .withHeader("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"").withFixedDelay(1000)));
    Path part = Files.writeString(work.resolve("part-0.csv.zst"), "staged");
    AwsSettings settings = AwsSettings.from(new Environment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + s3.port(),
        "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "us-east-1")));
    try (S3Client client = AwsClients.s3(settings)) {
      PartUploader uploader = new PartUploader(new S3ObjectStore(client), 4, "upload-test");
      uploader.submit(new S3Uri("data", "part-0.csv.zst"), part);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (s3.findAll(putRequestedFor(urlPathEqualTo("/data/part-0.csv.zst"))).isEmpty()) {
        assertThat(System.nanoTime()).as("the upload reached S3 within 10 s").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      uploader.close();
      assertThat(part).as("the uploader let go of its part (deleted it) before close returned").doesNotExist();
    }
  }
}
