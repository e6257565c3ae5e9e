package io.observes.secrets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.batch.JobCatalogue;
import io.observes.jobs.gitlab.GitLabFixtures;
import io.observes.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets as the commands see them: from the environment first, else from a sops file opened with
 * an age key; where each comes from ({@code observes secrets list}); a tampered file, a wrong key, a
 * missing secret (exit 2, the secret named, never its value); a failing job with its secrets from
 * the file, whose output, logs and alert hold none of them; and the repository's own file.
 */
class SecretsCliTest {
  static final String PASSWORD = "pg-Pa55w0rd-" + Long.toHexString(new SecureRandom().nextLong());
  static final String HOOK_PATH = "/services/T0/B0/hook-" + Long.toHexString(new SecureRandom().nextLong());
  @TempDir Path dir;
  WireMockServer api;
  SopsRoundTripTest.Identity identity;
  Path keys;

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(urlPathEqualTo(HOOK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
    identity = SopsRoundTripTest.newIdentity();
    keys = dir.resolve("keys.txt");
    Files.writeString(keys, "# created: 2026-12-01T00:00:00Z\n# public key: " + identity.recipient() + "\n"
        + identity.secret() + "\n", StandardCharsets.UTF_8);
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  Path secrets(Map<String, String> values) throws Exception {
    ObjectNode plain = SopsFile.NODES.objectNode();
    values.forEach(plain::put);
    plain.putObject("nested").put("user", "eve");
    byte[] dataKey = new byte[32];
    new SecureRandom().nextBytes(dataKey);
    Path file = dir.resolve("secrets.enc.yaml");
    Files.writeString(file, SopsWriter.write(plain, dataKey, Map.of(identity.recipient(),
        SopsWriter.ageEncrypt(dataKey, identity.recipient())), Instant.parse("2026-12-01T09:00:00Z"), new SecureRandom()));
    return file;
  }

  Map<String, String> fileValues() {
    Map<String, String> values = new HashMap<>();
    values.put("OBSERVES_GITLAB_TOKEN", GitLabFixtures.TOKEN);
    values.put("OBSERVES_ALERT_WEBHOOK", "http://127.0.0.1:" + api.port() + HOOK_PATH);
    values.put("OBSERVES_WAREHOUSE_PASSWORD", PASSWORD);
    return values;
  }

  Map<String, String> env(Path file) {
    Map<String, String> env = new HashMap<>();
    env.put("OBSERVES_SECRETS_FILE", file.toString());
    env.put("SOPS_AGE_KEY_FILE", keys.toString());
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + api.port() + GitLabFixtures.API);
    return env;
  }

  static void assertNoSecretIn(CliRun.Result r, Map<String, String> values) {
    for (String value : values.values()) {
      assertThat(r.all()).doesNotContain(value);
    }
    assertThat(r.all()).doesNotContain(HOOK_PATH, PASSWORD, GitLabFixtures.TOKEN);
  }

  @Test
  void secretsListSaysWhereEachComesFromNeverAValue() throws Exception {
    Map<String, String> env = env(secrets(fileValues()));
    env.put("OBSERVES_CHECKLY_API_KEY", "cu_env_key_123");

    CliRun.Result r = CliRun.run(env, GitLabFixtures.CLOCK, "secrets", "list");

    assertThat(r.code()).as(r.all()).isEqualTo(2);
    assertThat(r.out()).contains("opened with age recipient " + identity.recipient() + ", MAC verified")
        .containsPattern("OBSERVES_GITLAB_TOKEN +file +cancel-ci-jobs, gitlab, gitlab-ephemeral")
        .containsPattern("OBSERVES_CHECKLY_API_KEY +environment +checkly")
        .containsPattern("OBSERVES_ZOHO_CLIENT_ID +missing +zoho-load, zoho-prepare")
        .containsPattern("nested +ignored \\(not in catalogue\\) +-");
    assertThat(r.err()).contains("missing secrets [", "OBSERVES_ZOHO_CLIENT_ID", "sops edit");
    assertNoSecretIn(r, fileValues());
    assertThat(r.all()).doesNotContain("cu_env_key_123", identity.secret());
  }

  @Test
  void aFailingJobGetsItsSecretsFromTheFileAndLeaksNoneOfThem() throws Exception {
    api.stubFor(get(urlPathMatching(GitLabFixtures.API + "/projects/.*/jobs")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"401 Unauthorized\"}")));
    Map<String, String> env = env(secrets(fileValues()));
    env.put("AWS_BATCH_JOB_ID", "job-secrets-1");
    env.put("AWS_BATCH_JOB_ATTEMPT", "1");
    env.put("OBSERVES_JOB_ATTEMPTS", "1");

    CliRun.Result r = CliRun.run(env, GitLabFixtures.CLOCK, "job", "cancel-ci-jobs", "--project", "4711");

    assertThat(r.code()).as(r.all()).isNotZero();
    api.verify(getRequestedFor(urlPathMatching(GitLabFixtures.API + "/projects/4711/jobs"))
        .withHeader("PRIVATE-TOKEN", equalTo(GitLabFixtures.TOKEN)));
    api.verify(1, postRequestedFor(urlPathEqualTo(HOOK_PATH)));
    assertThat(r.err()).contains("401");
    assertNoSecretIn(r, fileValues());
    String alert = api.findAll(postRequestedFor(urlPathEqualTo(HOOK_PATH))).get(0).getBodyAsString();
    assertThat(alert).doesNotContain(GitLabFixtures.TOKEN, PASSWORD, HOOK_PATH);
  }

  @Test
  void theEnvironmentWinsAndAFileNotNeededIsNotOpened() throws Exception {
    Map<String, String> values = fileValues();
    values.put("OBSERVES_GITLAB_TOKEN", "glpat-from-the-file-not-used");
    Map<String, String> env = env(secrets(values));
    env.remove("SOPS_AGE_KEY_FILE"); // no key: the file cannot be opened, and need not be
    env.put("OBSERVES_GITLAB_TOKEN", GitLabFixtures.TOKEN);
    api.stubFor(GitLabFixtures.listPage("4711", 1).willReturn(GitLabFixtures.page("http://127.0.0.1:" + api.port(), "4711",
        1, 1)));

    CliRun.Result r = CliRun.run(env, GitLabFixtures.CLOCK, "job", "cancel-ci-jobs", "--project", "4711", "--dry-run");

    assertThat(r.code()).as(r.all()).isZero();
    api.verify(getRequestedFor(urlPathMatching(GitLabFixtures.API + "/projects/4711/jobs"))
        .withHeader("PRIVATE-TOKEN", equalTo(GitLabFixtures.TOKEN)));
  }

  @Test
  void aTamperedFileAWrongKeyAMissingSecretOrFileAreConfigurationErrorsThatSayWhatToDo() throws Exception {
    Path file = secrets(fileValues());
    String[] job = {"job", "cancel-ci-jobs", "--project", "4711"};

    String text = Files.readString(file);
    String tampered = text.replaceFirst("(OBSERVES_GITLAB_TOKEN: \"?ENC\\[AES256_GCM,data:)(.)", "$1" + "A");
    if (tampered.equals(text)) {
      tampered = text.replaceFirst("(OBSERVES_GITLAB_TOKEN: \"?ENC\\[AES256_GCM,data:)(.)", "$1" + "B");
    }
    Files.writeString(file, tampered);
    CliRun.Result changed = CliRun.run(env(file), GitLabFixtures.CLOCK, job);
    assertThat(changed.code()).isEqualTo(2);
    assertThat(changed.err()).contains("OBSERVES_GITLAB_TOKEN is in " + file, "'OBSERVES_GITLAB_TOKEN' does not authenticate",
        "Set OBSERVES_GITLAB_TOKEN in the environment instead");
    Files.writeString(file, text);

    Map<String, String> wrongKey = env(file);
    wrongKey.put("SOPS_AGE_KEY_FILE", dir.resolve("other.txt").toString());
    Files.writeString(dir.resolve("other.txt"), SopsRoundTripTest.newIdentity().secret() + "\n");
    CliRun.Result other = CliRun.run(wrongKey, GitLabFixtures.CLOCK, job);
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("OBSERVES_GITLAB_TOKEN is in", "age recipient " + identity.recipient() + ": no identity of "
        + "[SOPS_AGE_KEY_FILE " + dir.resolve("other.txt") + "] opens it");

    Map<String, String> values = fileValues();
    values.remove("OBSERVES_GITLAB_TOKEN");
    CliRun.Result missing = CliRun.run(env(secrets(values)), GitLabFixtures.CLOCK, job);
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("set OBSERVES_GITLAB_TOKEN", "secrets file");

    Map<String, String> noFile = env(dir.resolve("absent.enc.yaml"));
    CliRun.Result absent = CliRun.run(noFile, GitLabFixtures.CLOCK, job);
    assertThat(absent.code()).isEqualTo(2);
    assertThat(absent.err()).contains("OBSERVES_SECRETS_FILE names " + dir.resolve("absent.enc.yaml") + ", which is not a file");
    CliRun.Result flag = CliRun.run(Map.of(), GitLabFixtures.CLOCK, "secrets", "list", "--secrets", "nowhere.yaml");
    assertThat(flag.code()).isEqualTo(2);
    assertThat(flag.err()).contains("--secrets names nowhere.yaml");
  }

  @Test
  void theFileSuppliesOnlyTheCataloguesSecretsAndNamesTheOthersItIgnores() throws Exception {
    Map<String, String> values = fileValues();
    values.put("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://127.0.0.1:1/from-the-secrets-file");
    values.put("AWS_ENDPOINT_URL_S3", "http://elsewhere.example:9000");
    Map<String, String> env = env(secrets(values));

    CliRun.Result r = CliRun.run(env, GitLabFixtures.CLOCK, "runs");

    assertThat(r.code()).as(r.all()).isEqualTo(2);
    assertThat(r.err()).contains("no warehouse configured");
    assertThat(r.logs()).containsPattern("WARN .*secrets file " + java.util.regex.Pattern.quote(env.get("OBSERVES_SECRETS_FILE"))
        + " also holds AWS_ENDPOINT_URL_S3, OBSERVES_WAREHOUSE_URL, nested, which are not secrets of the job catalogue: ignored");
    assertThat(r.all()).doesNotContain("elsewhere.example", "from-the-secrets-file");
    picocli.CommandLine cli = io.observes.cli.Main.commandLine(new io.observes.config.Environment(env));
    cli.parseArgs("runs");
    io.observes.config.Environment seen = ((io.observes.cli.ObservesCommand) cli.getCommand()).environment();
    assertThat(seen.get("AWS_ENDPOINT_URL_S3")).isEmpty();
    assertThat(seen.get("OBSERVES_WAREHOUSE_URL")).isEmpty();
    assertThat(seen.get("OBSERVES_GITLAB_TOKEN")).contains(GitLabFixtures.TOKEN);
  }

  @Test
  void theRepositoryFileHoldsEveryCatalogueSecretForTheTestKey() throws Exception {
    TreeSet<String> needed = new TreeSet<>();
    JobCatalogue.load(Path.of("etl-jobs")).jobs().forEach(j -> needed.addAll(j.secrets()));
    Map<String, String> env = Map.of("OBSERVES_SECRETS_FILE", "secrets.enc.yaml",
        "SOPS_AGE_KEY_FILE", "src/test/resources/secrets/test-age-key.txt");

    CliRun.Result r = CliRun.run(env, GitLabFixtures.CLOCK, "secrets", "list", "--catalogue", "etl-jobs");

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("MAC verified");
    SecretsFile file = SecretsLocation.resolve(new io.observes.config.Environment(env), java.util.Optional.empty(),
        java.util.Optional.empty()).orElseThrow();
    assertThat(file.names()).containsExactlyInAnyOrderElementsOf(needed);
    for (String name : needed) {
      assertThat(file.find(name)).contains(TestSecretsFile.value(name));
      assertThat(r.out()).containsPattern(name + " +file ");
    }
    assertThat(Files.readString(Path.of("infra/batch.tf"))).contains("secrets.enc.yaml");
    assertThat(List.copyOf(needed)).isNotEmpty();
  }
}
