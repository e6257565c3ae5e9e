package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.testing.CliRun;
import io.observes.warehouse.Dialect;
import io.observes.warehouse.Utf8Text;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A target schema is refused, before anything connects, when it or the schemas made from it
 * ({@code _loading}, {@code _backup}) would not fit the warehouse's identifiers: the warehouse cuts
 * longer names silently, so two targets (or a target and another team's schema) could become one,
 * and phase2's DROP SCHEMA ... CASCADE would drop the other.
 */
class TargetNamesTest {
  /** A lower-case name of exactly {@code bytes} UTF-8 bytes, mixing 1- to 4-byte letters. */
  static String name(int bytes) {
    StringBuilder name = new StringBuilder("d");
    String[] letters = {"é", "ᴀ", "𝐚", "x"}; // 2, 3, 4 and 1 bytes
    int i = 0;
    while (Utf8Text.bytes(name) < bytes) {
      String next = letters[i++ % letters.length];
      name.append(Utf8Text.bytes(name) + Utf8Text.bytes(next) <= bytes ? next : "x");
    }
    assertThat(name.toString().getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    assertThat(name.length()).isLessThan(bytes);
    return name.toString();
  }

  @Test
  void aSchemaFitsWhenItsLoadingSchemaFitsCountedInBytes() {
    for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.REDSHIFT, Dialect.REDSHIFT_REHEARSAL}) {
      int limit = dialect.maxIdentifierBytes();
      assertThat(new Target("dynamodb", name(limit - 9)).within(dialect).staging()).hasSize(name(limit - 9).length() + 8);
      Target longest = new Target("dynamodb", name(limit - 8)).within(dialect);
      assertThat(Utf8Text.bytes(longest.staging())).isEqualTo(limit);
      assertThat(Utf8Text.bytes(longest.backup())).isEqualTo(limit - 1);
      assertThatThrownBy(() -> new Target("dynamodb", name(limit - 7)).within(dialect))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is " + (limit - 7) + " bytes")
          .hasMessageContaining("at most " + (limit - 8) + " bytes")
          .hasMessageContaining(limit + " bytes");
    }
  }

  static Map<String, String> env(String url) {
    Map<String, String> env = new HashMap<>();
    env.put("OBSERVES_WAREHOUSE_URL", url);
    env.put("OBSERVES_REDSHIFT_IAM_ROLE", "arn:aws:iam::123456789012:role/redshift-copy");
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    return env;
  }

  static CliRun.Result phase2(String url, String schema) {
    return CliRun.run(env(url), Clock.systemUTC(), "etl", "dynamo", "phase2", "--run-id", "20261120T030000Z-1a2b",
        "--target-schema", schema);
  }

  @Test
  void theCommandRefusesATooLongSchemaBeforeConnectingAndSaysTheMaximum() {
    String postgres = "jdbc:postgresql://127.0.0.1:1/db?connectTimeout=2";
    CliRun.Result tooLong = phase2(postgres, "a".repeat(56));
    assertThat(tooLong.code()).as(tooLong.all()).isEqualTo(2);
    assertThat(tooLong.err()).contains("configuration error", "--target-schema", "at most 55 bytes");
    CliRun.Result multibyte = phase2(postgres, name(56));
    assertThat(multibyte.code()).as(multibyte.all()).isEqualTo(2);
    assertThat(multibyte.err()).contains("at most 55 bytes");
    // One byte less passes the check, and the command goes on (to fail connecting to nothing).
    CliRun.Result fits = phase2(postgres, name(55));
    assertThat(fits.code()).as(fits.all()).isEqualTo(1);
    assertThat(fits.err()).contains("cannot connect to the warehouse");

    String redshift = "jdbc:redshift://127.0.0.1:1/dev";
    assertThat(phase2(redshift, name(120)).err()).contains("at most 119 bytes");
    assertThat(phase2(redshift, name(119)).err()).contains("cannot connect to the warehouse");
    CliRun.Result rehearsal = CliRun.run(env(postgres), Clock.systemUTC(), "--warehouse-dialect", "redshift", "etl", "dynamo",
        "phase2", "--run-id", "20261120T030000Z-1a2b", "--target-schema", name(56));
    assertThat(rehearsal.err()).contains("at most 55 bytes");
  }

  @Test
  void anApiEtlsDryRunRefusesItToo() {
    Map<String, String> env = env("jdbc:postgresql://127.0.0.1:1/db");
    env.put("OBSERVES_GITLAB_TOKEN", "glpat-unused");
    CliRun.Result r = CliRun.run(env, Clock.systemUTC(), "etl", "gitlab", "--project", "g/p", "--dry-run", "--target-schema",
        "g".repeat(56));
    assertThat(r.code()).as(r.all()).isEqualTo(2);
    assertThat(r.err()).contains("at most 55 bytes");
  }
}
