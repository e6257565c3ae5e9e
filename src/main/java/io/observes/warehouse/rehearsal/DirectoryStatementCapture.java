package io.observes.warehouse.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link StatementCapture#toDirectory}: one file per JVM and directory, shared by every capture of
 * that directory, so that each distinct text is written once per JVM. Texts are remembered by their
 * SHA-256 digest, not whole, to keep memory flat however long the statements are.
 */
final class DirectoryStatementCapture implements StatementCapture {
  private static final ConcurrentMap<Path, DirectoryStatementCapture> BY_DIRECTORY = new ConcurrentHashMap<>();

  private final Path dir;
  private final Path file;
  private final Set<String> written = ConcurrentHashMap.newKeySet();

  private DirectoryStatementCapture(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("redshift-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + ".sql");
  }

  static DirectoryStatementCapture of(Path dir) {
    return BY_DIRECTORY.computeIfAbsent(dir.toAbsolutePath().normalize(), DirectoryStatementCapture::new);
  }

  /** The file this JVM writes (it exists once a statement was captured). */
  Path file() {
    return file;
  }

  @Override
  public void statement(String sql) {
    if (!written.add(digest(sql))) {
      return;
    }
    String entry = sql + (sql.endsWith("\n") ? "" : "\n") + END_OF_STATEMENT + "\n";
    synchronized (this) {
      try {
        Files.createDirectories(dir);
        Files.writeString(file, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        written.remove(digest(sql));
        throw new UncheckedIOException("could not capture a SQL statement into " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private static String digest(String sql) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
