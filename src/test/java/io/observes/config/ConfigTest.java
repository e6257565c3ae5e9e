package io.observes.config;

import io.observes.warehouse.WarehouseConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.aws.AwsSettings;
import io.observes.warehouse.WarehouseSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void warehouseFromTheObservesVariables() {
    WarehouseSettings s = WarehouseConfig.from(new Environment(Map.of(
        "OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://db:5432/wh", "OBSERVES_WAREHOUSE_USER", "etl",
        "OBSERVES_WAREHOUSE_PASSWORD", "s3cret")), null);
    assertThat(s.url()).isEqualTo("jdbc:postgresql://db:5432/wh");
    assertThat(s.user()).isEqualTo("etl");
    assertThat(s.password().value()).isEqualTo("s3cret");
    assertThat(s.toString()).doesNotContain("s3cret");
  }

  @Test
  void warehouseFromTheLegacyRedshiftVariables() {
    WarehouseSettings s = WarehouseConfig.from(new Environment(Map.of(
        "REDSHIFT_HOST", "cluster.example", "REDSHIFT_PORT", "5439", "REDSHIFT_DATABASE", "observes",
        "REDSHIFT_USER", "etl", "REDSHIFT_PASSWORD", "pw", "OBSERVES_REDSHIFT_IAM_ROLE",
        "arn:aws:iam::123456789012:role/redshift-copy")), null);
    assertThat(s.url()).isEqualTo("jdbc:redshift://cluster.example:5439/observes");
    assertThat(s.iamRole()).isEqualTo("arn:aws:iam::123456789012:role/redshift-copy");
  }

  @Test
  void theRedshiftDialectOnAPostgresUrlIsTheRehearsalAndBadDialectsOrRegionsSayWhatToSet() {
    WarehouseSettings rehearsal = WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL",
        "jdbc:postgresql://a/b", "OBSERVES_WAREHOUSE_DIALECT", "redshift", "OBSERVES_REDSHIFT_REGION", "eu-west-1")), null);
    assertThat(rehearsal.rehearsal()).isTrue();
    assertThat(rehearsal.region()).isEqualTo("eu-west-1");
    assertThat(io.observes.warehouse.Warehouses.dialect(rehearsal)).isEqualTo(io.observes.warehouse.Dialect.REDSHIFT_REHEARSAL);
    assertThat(WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://a/b")), null)
        .rehearsal()).isFalse();
    assertThatThrownBy(() -> WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://a/b",
        "OBSERVES_WAREHOUSE_DIALECT", "oracle")), null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("OBSERVES_WAREHOUSE_DIALECT").hasMessageContaining("redshift or postgresql");
    assertThatThrownBy(() -> WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL", "jdbc:redshift://a/b",
        "OBSERVES_REDSHIFT_IAM_ROLE", "arn:aws:iam::123456789012:role/x", "OBSERVES_WAREHOUSE_DIALECT", "postgresql")), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("jdbc:redshift://");
    assertThatThrownBy(() -> WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL", "jdbc:redshift://a/b",
        "OBSERVES_REDSHIFT_IAM_ROLE", "arn:aws:iam::123456789012:role/x", "OBSERVES_REDSHIFT_REGION", "Frankfurt")), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_REDSHIFT_REGION");
  }

  @Test
  void theFlagWinsOverTheEnvironment() {
    WarehouseSettings s = WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://a/b")),
        "jdbc:postgresql://flag/db");
    assertThat(s.url()).isEqualTo("jdbc:postgresql://flag/db");
  }

  @Test
  void missingOrWrongSettingsSayWhatToSet() {
    assertThatThrownBy(() -> WarehouseConfig.from(new Environment(Map.of()), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_WAREHOUSE_URL").hasMessageContaining("REDSHIFT_HOST");
    assertThatThrownBy(() -> WarehouseConfig.from(new Environment(Map.of("REDSHIFT_HOST", "h")), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("REDSHIFT_DATABASE");
    assertThatThrownBy(() -> WarehouseConfig.from(new Environment(Map.of("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://a/b",
        "OBSERVES_WAREHOUSE_POOL_SIZE", "many")), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_WAREHOUSE_POOL_SIZE");
  }

  @Test
  void bucketsDefaultToTheProductionNames() {
    assertThat(Buckets.from(new Environment(Map.of()))).isEqualTo(new Buckets("observes.etl-data", "observes.cache", "observes.state"));
    assertThat(Buckets.from(new Environment(Map.of("OBSERVES_DATA_BUCKET", "dev-data"))).data()).isEqualTo("dev-data");
  }

  @Test
  void awsEndpointsFollowTheSdkConventions() {
    AwsSettings s = AwsSettings.from(new Environment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
        "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", "AWS_DEFAULT_REGION", "eu-west-1")));
    assertThat(s.region()).isEqualTo("eu-west-1");
    assertThat(s.s3()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9000));
    assertThat(s.dynamo()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(4566));
    assertThat(AwsSettings.from(new Environment(Map.of())).s3()).isEmpty();
    assertThatThrownBy(() -> AwsSettings.from(new Environment(Map.of("AWS_ENDPOINT_URL_S3", "not a url"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("AWS_ENDPOINT_URL_S3");
  }
}
