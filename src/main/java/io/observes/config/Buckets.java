package io.observes.config;

/** The S3 buckets Observes uses; production names by default (LEGACY.md). */
public record Buckets(String data, String cache, String state) {
  public static Buckets from(Environment env) {
    return new Buckets(
        env.getOrDefault("OBSERVES_DATA_BUCKET", "observes.etl-data"),
        env.getOrDefault("OBSERVES_CACHE_BUCKET", "observes.cache"),
        env.getOrDefault("OBSERVES_STATE_BUCKET", "observes.state"));
  }
}
