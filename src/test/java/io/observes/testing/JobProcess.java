package io.observes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The CLI as its own JVM, as AWS Batch starts a job: configured only by {@code env} (the test JVM's
 * own {@code AWS_}, {@code OBSERVES_}, {@code REDSHIFT_} and {@code GITLAB_} variables are not passed
 * on), its output in {@code <name>.out} and {@code <name>.err} in {@code dir}, which is also its
 * working directory (not the repository: its secrets.enc.yaml is not a job's).
 */
public record JobProcess(Path dir, String maxHeap) {
  /**
   * A job of a few seconds spends most of its CPU in the C2 compiler on code it leaves soon after:
   * C1 alone took a phase of {@code DynamoProcessesTest} from 4.6 s of CPU to 2.0 s (16 processes,
   * docs/performance.md, "Test suite"). What the job does is the same.
   */
  static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");
  /** A directory: every job writes the classes it loaded there, for {@code bench/child-classlist.sh}. */
  static final String CLASS_LIST_PROPERTY = "observes.test.child-classlist";
  private static final List<String> NOT_PASSED_ON = List.of("AWS_", "OBSERVES_", "REDSHIFT_", "GITLAB_");

  public JobProcess {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(maxHeap, "maxHeap");
  }

  /** Jobs with the heap a Batch job of the tests gets (256 MiB), writing into {@code dir}. */
  public static JobProcess in(Path dir) {
    return new JobProcess(dir, "256m");
  }

  /** {@code observes args...} as its own process. */
  public Process cli(String name, Map<String, String> env, String... args) throws IOException {
    return start(name, env, "io.observes.cli.Main", args);
  }

  /** The {@code main} of {@code mainClass} (on the tests' class path) as its own process. */
  public Process start(String name, Map<String, String> env, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.addAll(JVM_OPTIONS);
    String classList = System.getProperty(CLASS_LIST_PROPERTY);
    // While the class list is being written, jobs run as they would without an archive.
    ChildJvmArchive.Launch launch = ChildJvmArchive.ofTests().filter(a -> classList == null)
        .map(ChildJvmArchive::launch)
        .orElseGet(() -> new ChildJvmArchive.Launch(List.of(), System.getProperty("java.class.path")));
    if (classList != null) {
      Path list = Path.of(classList).resolve(name + "-" + System.nanoTime() + ".classlist");
      command.add("-XX:DumpLoadedClassList=" + list);
    }
    command.addAll(launch.options());
    command.addAll(List.of("-cp", launch.classPath(), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out(name).toFile())
        .redirectError(err(name).toFile()).directory(dir.toFile());
    builder.environment().keySet().removeIf(k -> NOT_PASSED_ON.stream().anyMatch(k::startsWith));
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * Kills (SIGKILL) the job {@code name} once {@code when} holds, or at once when it is null; looks
   * again every 5 ms for at most 60 s, and fails if the job ended before its kill point came.
   */
  public void killWhen(Process process, String name, BooleanSupplier when) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (when != null && process.isAlive() && !when.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s reached its kill point within 60 s", name).isLessThan(deadline);
      // Between two looks: back at once if the process ends (then it missed its kill point).
      process.waitFor(5, TimeUnit.MILLISECONDS);
    }
    assertThat(process.isAlive()).as("%s was still at work when its kill point came; stderr: %s", name,
        Files.exists(err(name)) ? Files.readString(err(name)) : "").isTrue();
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s ended when killed", name).isTrue();
  }

  public Path out(String name) {
    return dir.resolve(name + ".out");
  }

  public Path err(String name) {
    return dir.resolve(name + ".err");
  }
}
