package io.observes.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The job catalogue: every {@code *.yaml} of {@code etl-jobs/} that has a {@code command} (routing
 * and other config files sit beside them). The single description of each job, read by submission,
 * the scheduler and the Terraform. Loading validates everything and reports every problem at once
 * as {@code file: field: reason}.
 */
public final class JobCatalogue {
  private final Map<String, JobSpec> jobs;

  private JobCatalogue(Map<String, JobSpec> jobs) {
    this.jobs = Map.copyOf(jobs);
  }

  /** A catalogue problem: every invalid entry, one per line. */
  public static final class InvalidCatalogueException extends RuntimeException {
    public InvalidCatalogueException(List<String> problems) {
      super("the job catalogue is invalid:\n  " + String.join("\n  ", problems));
    }
  }

  public static JobCatalogue load(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new InvalidCatalogueException(List.of(directory + ": not a directory (pass --catalogue DIR)"));
    }
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> listing = Files.list(directory)) {
      for (Path file : listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new InvalidCatalogueException(List.of(directory + ": " + e.getMessage()));
    }
    return parse(files);
  }

  /** The catalogue bundled in the jar ({@code /etl-jobs/*.yaml}), as built from the repository. */
  public static JobCatalogue bundled() {
    java.net.URL url = JobCatalogue.class.getResource("/etl-jobs/");
    if (url == null) {
      throw new IllegalStateException("the jar lacks /etl-jobs/; rebuild it with mvn package");
    }
    try {
      java.net.URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return load(Path.of(uri));
      }
      try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(uri, Map.of())) {
        return load(jar.getPath("/etl-jobs/"));
      }
    } catch (java.net.URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the bundled catalogue: " + e.getMessage(), e);
    }
  }

  /** Parses catalogue files given as file name -> YAML text. */
  public static JobCatalogue parse(Map<String, String> files) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<String> problems = new ArrayList<>();
    Map<String, JobSpec> jobs = new LinkedHashMap<>();
    for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
      Map<?, ?> doc;
      try {
        Object parsed = yaml.readValue(file.getValue(), Object.class);
        if (!(parsed instanceof Map<?, ?> map)) {
          problems.add(file.getKey() + ": not a YAML mapping");
          continue;
        }
        doc = map;
      } catch (IOException e) {
        problems.add(file.getKey() + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        continue;
      }
      if (!doc.containsKey("command")) {
        continue;
      }
      JobEntry entry = new JobEntry(file.getKey(), doc, problems);
      Optional<JobSpec> job = entry.job();
      job.ifPresent(j -> {
        if (jobs.containsKey(j.name())) {
          problems.add(file.getKey() + ": name: '" + j.name() + "' is already the name of another job");
        } else {
          jobs.put(j.name(), j);
        }
      });
    }
    for (JobSpec job : jobs.values()) {
      // A job with both heads its own chain when its schedule fires, and follows its predecessors
      // when a chain starting before it is submitted (dynamo-phase1: scan nightly, or after dynamo-export).
      for (String dependency : job.dependsOn()) {
        if (!jobs.containsKey(dependency)) {
          problems.add(job.name() + ".yaml: depends_on: no job is named '" + dependency + "'");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidCatalogueException(problems);
    }
    return new JobCatalogue(jobs);
  }

  public Optional<JobSpec> job(String name) {
    return Optional.ofNullable(jobs.get(name));
  }

  public JobSpec require(String name) {
    return job(name).orElseThrow(() -> new IllegalArgumentException(
        "no job named '" + name + "' in the catalogue; known: " + new TreeMap<>(jobs).keySet()));
  }

  public List<JobSpec> jobs() {
    return new ArrayList<>(new TreeMap<>(jobs).values());
  }

  /** The jobs that run after {@code job} (their depends_on names it). */
  public List<JobSpec> dependents(String job) {
    return jobs().stream().filter(j -> j.dependsOn().contains(job)).toList();
  }
}
