package io.observes.batch;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scheduled job of the catalogue ({@code etl-jobs/<name>.yaml}): what runs ({@code observes}
 * argv), when (AWS cron, UTC), on what size and how many nodes, with what retries, timeout,
 * environment and secrets, its freshness SLA, the jobs it runs after, and how its health is judged
 * from the run log ({@link Health}).
 */
public record JobSpec(
    String name,
    List<String> command,
    String schedule,
    JobSize size,
    int nodes,
    int attempts,
    int timeoutMinutes,
    Map<String, String> environment,
    List<String> secrets,
    Integer slaHours,
    List<String> dependsOn,
    Health health) {
  public JobSpec {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    Objects.requireNonNull(size, "size");
    environment = Map.copyOf(environment);
    secrets = List.copyOf(secrets);
    dependsOn = List.copyOf(dependsOn);
    Objects.requireNonNull(health, "health");
  }

  /** The Batch job definition and job name: {@code observes-<name>}. */
  public String batchName() {
    return "observes-" + name;
  }

  public boolean multiNode() {
    return nodes > 1;
  }
}
