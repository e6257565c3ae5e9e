package io.observes.config;

import io.observes.warehouse.WarehouseConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.warehouse.WarehouseSettings;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlCredentialsTest {
  @Test
  void userInfoIsRemovedFromEveryUrlInTheText() {
    assertThat(UrlCredentials.strip("cannot reach jdbc:postgresql://u:hunter2@db.example:5432/wh?ssl=true now"))
        .isEqualTo("cannot reach jdbc:postgresql://db.example:5432/wh?ssl=true now");
    assertThat(UrlCredentials.strip("push to http://admin:p@ss:w0rd@gateway:9091/metrics failed; also https://tok@x.example/"))
        .isEqualTo("push to http://gateway:9091/metrics failed; also https://x.example/");
    // as drivers echo the host they could not resolve, without the scheme
    assertThat(UrlCredentials.strip("java.net.UnknownHostException: u:hunter2@127.0.0.1"))
        .isEqualTo("java.net.UnknownHostException: 127.0.0.1");
  }

  @Test
  void passwordLikeParametersLoseTheirValues() {
    assertThat(UrlCredentials.strip("jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=****&ssl=true");
    assertThat(UrlCredentials.strip("jdbc:redshift://h:5439/dev;UID=u;PWD=hunter2;ssl=true"))
        .isEqualTo("jdbc:redshift://h:5439/dev;UID=u;PWD=****;ssl=true");
    assertThat(UrlCredentials.strip("?sslpassword=a&X-Amz-Signature=b&access_token=c&api-key=d&client_secret='e f'"))
        .isEqualTo("?sslpassword=****&X-Amz-Signature=****&access_token=****&api-key=****&client_secret=****");
  }

  @Test
  void textWithoutCredentialsIsLeftAsItIs() {
    String plain = "segment 3 of run 20261120T030000Z-1a2b failed: s3://observes.etl-data/dynamodb/x at 12:30 UTC, "
        + "mail ops@example.com; set OBSERVES_GITLAB_TOKEN in the environment; AwsCredentialsProviderChain(credentialsProviders=[a])";
    assertThat(UrlCredentials.strip(plain)).isEqualTo(plain);
    assertThat(UrlCredentials.strip((String) null)).isNull();
  }

  @Test
  void aStrippedChainKeepsItsTypesAndStacksButNotTheCredentials() {
    SQLException driver = new SQLException("The connection attempt failed.", "08001",
        new UnknownHostException("u:hunter2@127.0.0.1"));
    Throwable stripped = UrlCredentials.strip(new IllegalStateException("pool: jdbc:postgresql://u:hunter2@h/db", driver));

    assertThat(stripped.toString()).isEqualTo("java.lang.IllegalStateException: pool: jdbc:postgresql://h/db");
    assertThat(stripped.getCause().toString()).isEqualTo("java.sql.SQLException: The connection attempt failed.");
    assertThat(stripped.getCause().getCause().toString()).isEqualTo("java.net.UnknownHostException: 127.0.0.1");
    assertThat(stripped.getCause().getStackTrace()).isEqualTo(driver.getStackTrace());
  }

  @Test
  void warehouseSettingsPrintAndRedactWithoutThePassword() {
    WarehouseSettings s = WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL",
        "jdbc:postgresql://u:hunter2@db:5432/wh", "OBSERVES_WAREHOUSE_PASSWORD", "s3cr3t-pw")), null);
    assertThat(s.toString()).contains("jdbc:postgresql://db:5432/wh").doesNotContain("hunter2", "s3cr3t-pw");
    assertThat(s.redact("login as u with s3cr3t-pw refused")).isEqualTo("login as u with **** refused");
  }
}
