package io.observes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive the tests' jobs start from is built, used, and rebuilt when the classes change. */
class ChildJvmArchiveTest {
  @TempDir Path dir;

  @Test
  void aJobLoadsTheProductsClassesFromTheArchive() throws Exception {
    ChildJvmArchive archive = ChildJvmArchive.ofTests().orElseThrow(() -> new AssertionError("the tests run on "
        + "target/classes"));
    ChildJvmArchive.Launch launch = archive.launch();
    assertThat(launch.options()).as("the archive was built (else target/child-jvm/*/failed says why)")
        .anySatisfy(o -> assertThat(o).startsWith("-XX:SharedArchiveFile="));

    Path loaded = dir.resolve("loaded.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(launch.options());
    command.addAll(List.of("-Xlog:class+load=info:file=" + loaded, "-cp", launch.classPath(), "io.observes.cli.Main",
        "--version"));
    Process job = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile())
        .directory(dir.toFile()).start();
    assertThat(job.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(job.exitValue()).as(Files.readString(dir.resolve("out"))).isZero();
    assertThat(Files.readAllLines(loaded))
        .anySatisfy(l -> assertThat(l).contains(" io.observes.cli.Main source: shared objects file"))
        .anySatisfy(l -> assertThat(l).contains(" picocli.CommandLine source: shared objects file"));
  }

  @Test
  void onlyJarsWhoseManifestNamesNoDirectoryAreArchivedAndTheRestFollowsInOrder() throws Exception {
    Path main = Files.createDirectories(dir.resolve("classes"));
    Path tests = Files.createDirectories(dir.resolve("test-classes"));
    Path plain = jar("plain.jar", null);
    Path namesJars = jar("names-jars.jar", "slf4j-api-2.0.7.jar other.jar");
    Path namesDirectory = jar("names-directory.jar", ". lib/x.jar");
    Path namesSubdirectory = jar("names-subdirectory.jar", "lib/");
    Path nativeLibrary = Files.writeString(dir.resolve("libsqlite4java-linux-amd64-1.0.392.so"), "ELF");
    Path missing = dir.resolve("missing.jar");
    ChildJvmArchive archive = new ChildJvmArchive(main, List.of(tests, main, plain, namesDirectory, nativeLibrary,
        namesJars, missing, namesSubdirectory));

    Path classesJar = dir.resolve("classes.jar");
    assertThat(archive.archived(classesJar)).containsExactly(classesJar, plain, namesJars);
    assertThat(archive.rest()).containsExactly(tests, namesDirectory, nativeLibrary, missing, namesSubdirectory);
  }

  @Test
  void aChangedClassOrClassPathMakesAnotherArchive() throws Exception {
    Path main = Files.createDirectories(dir.resolve("classes"));
    Path klass = Files.writeString(Files.createDirectories(main.resolve("io/x")).resolve("A.class"), "one");
    Path plain = jar("plain.jar", null);
    Path first = new ChildJvmArchive(main, List.of(main, plain)).directory();
    assertThat(new ChildJvmArchive(main, List.of(main, plain)).directory()).isEqualTo(first);
    assertThat(first.getParent()).isEqualTo(dir.resolve("child-jvm"));

    Files.writeString(klass, "two");
    Files.setLastModifiedTime(klass, FileTime.fromMillis(Files.getLastModifiedTime(klass).toMillis() + 2000));
    Path changed = new ChildJvmArchive(main, List.of(main, plain)).directory();
    assertThat(changed).isNotEqualTo(first);
    assertThat(new ChildJvmArchive(main, List.of(main)).directory()).isNotEqualTo(changed);
  }

  private Path jar(String name, String classPath) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    Path jar = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.flush();
    }
    return jar;
  }
}
