package io.observes.etl.zoho;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Zoho's stand-ins for the zoho ETL's end-to-end tests: WireMock as Zoho's accounts server and CRM
 * API ({@link FakeZoho}), s3proxy for state and staging, PostgreSQL as the warehouse.
 */
abstract class ZohoStandIns extends ApiEtlStandIns {
  static final String CLIENT_ID = "1000.ZQ3KX9N2WUXJ7R";
  static final String CLIENT_SECRET = "c0ffee5ecret9b8a7f6e5d4c3b2a1";
  static final String REFRESH = "1000.9f8e7d6c5b4a3928.refresh";
  static final ObjectMapper JSON = new ObjectMapper();
  WireMockServer zoho;
  FakeZoho fake;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    reset("zoho_crm");
    fake = new FakeZoho(CLIENT_ID, CLIENT_SECRET, REFRESH);
    zoho = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    zoho.start();
    fake.apiDomain("http://127.0.0.1:" + zoho.port());
    zoho.stubFor(any(urlPathMatching("/.*")).atPriority(10).willReturn(aResponse().withTransformers(FakeZoho.NAME)));
    fake.pages.put("Leads", List.of(3, 2));
    fake.users = 250;
  }

  @AfterEach
  void stop() {
    zoho.stop();
  }

  Map<String, String> env() {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_ZOHO_CLIENT_ID", CLIENT_ID);
    env.put("OBSERVES_ZOHO_CLIENT_SECRET", CLIENT_SECRET);
    env.put("OBSERVES_ZOHO_REFRESH_TOKEN", REFRESH);
    env.put("OBSERVES_ZOHO_ACCOUNTS_URL", "http://127.0.0.1:" + zoho.port());
    env.put("OBSERVES_ZOHO_API_URL", "http://127.0.0.1:" + zoho.port());
    env.put("OBSERVES_ZOHO_REQUESTS_PER_MINUTE", "100000");
    env.put("OBSERVES_ZOHO_POLL_SECONDS", "0");
    return env;
  }

  CliRun.Result zoho(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "etl";
    all[1] = "zoho";
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(env(), clock, all);
  }

  JsonNode state() throws Exception {
    return JSON.readTree(s3.store().read(new S3Uri("state", "zoho/state.json")).orElseThrow()).path("data");
  }

  /** {@code bytes} with every {@code from} replaced by {@code to}. */
  static byte[] replace(byte[] bytes, String from, byte[] to) {
    byte[] pattern = from.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < bytes.length; i++) {
      if (i + pattern.length <= bytes.length && java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
        out.write(to, 0, to.length);
        i += pattern.length - 1;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toByteArray();
  }
}
