package io.observes.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A thread as Linux schedules it, read from {@code /proc}: whether it is asleep (waiting for I/O, a
 * lock or a timer) rather than running or waiting for a core. Java cannot tell: a thread blocked in
 * a socket read is RUNNABLE to it. Absent where there is no {@code /proc} (not Linux).
 */
final class NativeThread {
  private final Path stat;

  private NativeThread(Path stat) {
    this.stat = stat;
  }

  /** The calling thread, if {@code /proc/thread-self} says who it is. */
  static Optional<NativeThread> current() {
    try {
      // "<pid>/task/<tid>", relative to /proc
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
      Path stat = Path.of("/proc").resolve(self).resolve("stat");
      NativeThread thread = new NativeThread(stat);
      return thread.state() == 0 ? Optional.empty() : Optional.of(thread);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // No /proc (not Linux) or no access to it: the caller then judges the source by its waits alone.
      return Optional.empty();
    }
  }

  /**
   * Whether the thread is asleep now: neither running nor runnable (state {@code S} or {@code D});
   * false when it can no longer be read (the thread ended).
   */
  boolean asleep() {
    char state = state();
    return state == 'S' || state == 'D';
  }

  /** The state letter of {@code /proc/<pid>/task/<tid>/stat}: after the command name in parentheses. */
  private char state() {
    try {
      String line = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
      int end = line.lastIndexOf(')');
      return end > 0 && end + 2 < line.length() ? line.charAt(end + 2) : 0;
    } catch (IOException | SecurityException e) {
      return 0;
    }
  }
}
