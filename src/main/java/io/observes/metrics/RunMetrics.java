package io.observes.metrics;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.warehouse.RunSummary;
import io.observes.warehouse.TableRun;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a process's runs did, pushed to a Prometheus Pushgateway ({@code OBSERVES_PUSHGATEWAY_URL})
 * when it exits, one group per run-log job and instance (the Batch job, else the host): per phase its
 * status (1 succeeded, 0 not) and duration, per table the rows loaded, and the rows written and
 * rejected, the bytes staged and the time of the last success. Prometheus's own client writes the
 * exposition format.
 */
public final class RunMetrics {
  public static final String VARIABLE = "OBSERVES_PUSHGATEWAY_URL";

  private final URI gateway;

  private RunMetrics(URI gateway) {
    this.gateway = gateway;
  }

  public static Optional<RunMetrics> from(Environment env) {
    return env.get(VARIABLE).map(url -> {
      try {
        URI uri = new URI(url.trim());
        if (uri.getHost() == null || uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme())) {
          throw new URISyntaxException(url, "not an http(s) URL with a host");
        }
        return new RunMetrics(uri);
      } catch (URISyntaxException e) {
        throw new ConfigException(VARIABLE + " must be the Pushgateway's URL like http://pushgateway:9091, was '" + url + "'");
      }
    });
  }

  /** Pushes the metrics of {@code runs} (this process's rows) with their tables' counts; one push per run-log job. */
  public void push(String instance, List<RunSummary> runs, List<TableRun> tables, Instant now) throws IOException {
    Objects.requireNonNull(instance, "instance");
    Map<String, List<RunSummary>> byJob = runs.stream().collect(Collectors.groupingBy(RunSummary::job, LinkedHashMap::new,
        Collectors.toList()));
    for (Map.Entry<String, List<RunSummary>> job : byJob.entrySet()) {
      Set<String> runIds = job.getValue().stream().map(RunSummary::run).collect(Collectors.toSet());
      PrometheusRegistry registry = new PrometheusRegistry();
      Gauge status = Gauge.builder().name("observes_run_success").help("1 when the phase succeeded, 0 when it did not")
          .labelNames("phase").register(registry);
      Gauge duration = Gauge.builder().name("observes_run_duration_seconds").help("how long the phase took")
          .labelNames("phase").register(registry);
      Gauge loaded = Gauge.builder().name("observes_rows_loaded").help("rows loaded or published per table")
          .labelNames("table").register(registry);
      Gauge written = Gauge.builder().name("observes_rows_written").help("rows staged").register(registry);
      Gauge rejected = Gauge.builder().name("observes_rows_rejected").help("values rejected, with their reasons in _rejected")
          .register(registry);
      Gauge bytes = Gauge.builder().name("observes_bytes_staged").help("bytes of CSV staged").register(registry);
      Gauge lastSuccess = Gauge.builder().name("observes_last_success_timestamp_seconds")
          .help("when a phase of this job last succeeded").register(registry);
      long success = 0;
      for (RunSummary r : job.getValue()) {
        String phase = r.segment() == null ? r.phase() : r.phase() + "-" + r.segment();
        status.labelValues(phase).set("SUCCEEDED".equals(r.status()) ? 1 : 0);
        duration.labelValues(phase).set(r.duration(now).toMillis() / 1000.0);
        if ("SUCCEEDED".equals(r.status()) && r.finished() != null) {
          success = Math.max(success, r.finished().getEpochSecond());
        }
      }
      long rowsWritten = 0;
      long rowsRejected = 0;
      long staged = 0;
      for (TableRun t : tables) {
        if (!runIds.contains(t.run())) {
          continue;
        }
        if (t.phase().equals("publish") || t.phase().equals("load")) {
          loaded.labelValues(t.table()).set(t.rowsLoaded());
        }
        if (t.phase().equals("stage")) {
          rowsWritten += t.rowsWritten();
          rowsRejected += t.rowsRejected();
          staged += t.bytes();
        }
      }
      written.set(rowsWritten);
      rejected.set(rowsRejected);
      bytes.set(staged);
      if (success > 0) {
        lastSuccess.set(success);
      }
      // The text format: readable by any Pushgateway version, and by a person looking at one.
      PushGateway.builder().format(io.prometheus.metrics.exporter.pushgateway.Format.PROMETHEUS_TEXT).scheme("https".equals(gateway.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
          .address(gateway.getHost() + ":" + (gateway.getPort() < 0 ? 9091 : gateway.getPort()))
          .job("observes_" + job.getKey().replaceAll("[^A-Za-z0-9_]", "_"))
          .groupingKey("instance", instance).registry(registry).build().push();
    }
  }
}
