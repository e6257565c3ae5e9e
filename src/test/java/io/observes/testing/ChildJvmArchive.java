package io.observes.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A class-data sharing archive (AppCDS) for the jobs the tests start as their own JVMs. A job of the
 * kill tests that finds nothing to do spent 2.0 s of CPU, nearly all of it loading and verifying the
 * same few thousand classes (the AWS SDK, the JDBC drivers, logback, ours); from the archive it takes
 * about 1.3 s (docs/performance.md, "Test suite"). What the job does is the same.
 *
 * <p>JDK 17 archives only jars: the main classes directory is copied into a jar, and the archive's class
 * path is that jar and the jars that can be archived, in class-path order. Everything else (the test
 * classes, native libraries Maven puts on the class path, DynamoDB Local whose manifest names a
 * directory) follows them, where CDS ignores it. The archive is built once per build of the classes, by
 * whichever test JVM gets its lock first, from the class list in {@code child-jvm.classlist} (classes the
 * jobs loaded, see {@code bench/child-classlist.sh}); a stale list only makes the archive smaller. While
 * it is being built, or if it cannot be used, jobs start without it, as before.
 */
public record ChildJvmArchive(Path mainClasses, List<Path> classPath) {
  static final String CLASS_LIST = "child-jvm.classlist";

  public ChildJvmArchive {
    Objects.requireNonNull(mainClasses, "mainClasses");
    classPath = List.copyOf(classPath);
  }

  /** The archive for the tests' own class path; none when the main classes are not a directory. */
  static java.util.Optional<ChildJvmArchive> ofTests() {
    try {
      Path classes = Path.of(io.observes.cli.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isDirectory(classes)) {
        return java.util.Optional.empty();
      }
      List<Path> entries = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        entries.add(Path.of(entry));
      }
      return java.util.Optional.of(new ChildJvmArchive(classes, entries));
    } catch (java.net.URISyntaxException e) {
      return java.util.Optional.empty();
    }
  }

  /** How a job's JVM starts: its options and its class path. */
  public record Launch(List<String> options, String classPath) {}

  /** With the archive when it is there or can be built now; otherwise the class path as it is. */
  public Launch launch() {
    Path dir = directory();
    Path archive = dir.resolve("app.jsa");
    if (!Files.exists(archive) && !Files.exists(dir.resolve("failed"))) {
      build(dir, archive);
    }
    if (!Files.exists(archive)) {
      return plain();
    }
    // A class path or JDK that does not match makes the JVM run without the archive; it says so only in
    // its cds log, which is kept off stdout, where the tests read what a job printed.
    return new Launch(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
        join(archived(dir.resolve("classes.jar")), rest()));
  }

  Launch plain() {
    return new Launch(List.of(), join(classPath, List.of()));
  }

  /** The jars CDS can archive: regular .jar files whose manifest names no directory in its Class-Path. */
  List<Path> archived(Path classesJar) {
    List<Path> jars = new ArrayList<>();
    jars.add(classesJar);
    classPath.stream().filter(ChildJvmArchive::archivable).forEach(jars::add);
    return jars;
  }

  List<Path> rest() {
    return classPath.stream().filter(p -> !archivable(p) && !p.equals(mainClasses)).toList();
  }

  static boolean archivable(Path entry) {
    if (!entry.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      return false;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      String classPath = jar.getManifest() == null ? null
          : jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      return classPath == null || Stream.of(classPath.trim().split("\\s+"))
          .noneMatch(p -> p.equals(".") || p.endsWith("/"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String join(List<Path> first, List<Path> then) {
    return Stream.concat(first.stream(), then.stream()).map(Path::toString)
        .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElse("");
  }

  /** {@code target/child-jvm/<digest>}: one per JDK, class path and state of the main classes. */
  Path directory() {
    MessageDigest digest = sha256();
    update(digest, System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version"));
    try (Stream<Path> files = Files.walk(mainClasses)) {
      files.filter(Files::isRegularFile).sorted().forEach(f -> stamp(digest, f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    classPath.forEach(p -> stamp(digest, p));
    try (InputStream list = classList()) {
      digest.update(list.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return mainClasses.resolveSibling("child-jvm").resolve(HexFormat.of().formatHex(digest.digest(), 0, 8));
  }

  private static void stamp(MessageDigest digest, Path file) {
    try {
      update(digest, file + " " + (Files.isRegularFile(file) ? Files.size(file) + " "
          + Files.getLastModifiedTime(file).toMillis() : "-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void update(MessageDigest digest, String text) {
    digest.update((text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream classList() {
    return Objects.requireNonNull(ChildJvmArchive.class.getResourceAsStream(CLASS_LIST), CLASS_LIST);
  }

  /**
   * Builds the archive unless another JVM is at it. A failure is written down in {@code failed} (with
   * the JVM's output) so that later jobs do not try again, and said once. Archives of earlier builds of
   * the classes (60 MB each) are deleted.
   */
  private void build(Path dir, Path archive) {
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
        if (lock == null || Files.exists(archive) || Files.exists(dir.resolve("failed"))) {
          return;
        }
        deleteOthers(dir);
        Path jar = dir.resolve("classes.jar");
        writeJar(jar);
        Path list = dir.resolve(CLASS_LIST);
        try (InputStream in = classList()) {
          Files.copy(in, list, StandardCopyOption.REPLACE_EXISTING);
        }
        Path building = dir.resolve("app.jsa.building");
        String classPath = join(archived(jar), List.of());
        String failure = java(dir.resolve("dump.log"), "-Xshare:dump", "-XX:SharedClassListFile=" + list,
            "-XX:SharedArchiveFile=" + building, "-cp", classPath);
        if (failure == null) {
          // -Xshare:on fails where the default would quietly run without the archive.
          failure = java(dir.resolve("check.log"), "-Xshare:on", "-XX:SharedArchiveFile=" + building, "-cp",
              join(archived(jar), rest()), "io.observes.cli.Main", "--version");
        }
        if (failure != null) {
          Files.writeString(dir.resolve("failed"), failure);
          System.err.println("Jobs of the tests start without a class-data archive: " + failure);
          return;
        }
        Files.move(building, archive, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return; // another thread of this JVM is building it
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code java args...}, its output into {@code log}; null when it exited 0, else why not. */
  private static String java(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    // In the archive's directory, without the tests' configuration: no secrets file is found or read.
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(log.getParent().toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("OBSERVES_") || k.startsWith("AWS_"));
    Process process = builder.start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "java " + args[0] + " did not end within 120 s (" + log + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return "interrupted";
    }
    return process.exitValue() == 0 ? null
        : "java " + args[0] + " exited with " + process.exitValue() + " (" + log + ")";
  }

  private static void deleteOthers(Path dir) throws IOException {
    try (Stream<Path> builds = Files.list(dir.getParent())) {
      for (Path other : (Iterable<Path>) builds.filter(b -> !b.equals(dir))::iterator) {
        try (Stream<Path> files = Files.walk(other)) {
          for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
            Files.deleteIfExists(f);
          }
        }
      }
    }
  }

  private void writeJar(Path jar) throws IOException {
    Path writing = jar.resolveSibling("classes.jar.writing");
    try (OutputStream file = Files.newOutputStream(writing); JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(mainClasses)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        JarEntry entry = new JarEntry(mainClasses.relativize(f).toString().replace('\\', '/'));
        entry.setTime(Files.getLastModifiedTime(f).toMillis());
        out.putNextEntry(entry);
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    Files.move(writing, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
