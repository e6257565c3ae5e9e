package io.observes.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * A TCP forwarder in front of an S3 stand-in that, once armed, holds back the first request whose
 * request line matches (e.g. {@code PUT .../state.json}): the process that sent it waits for an
 * answer that never comes, so a test can kill it exactly between its previous step and that write.
 * Bytes are forwarded as they are (the Host header too, so SigV4 signatures still verify).
 */
public final class HeldWrite implements AutoCloseable {
  private final ServerSocket server;
  private final URI target;
  private volatile Pattern armed;
  private volatile CountDownLatch held = new CountDownLatch(1);

  public HeldWrite(URI target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "held-write-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** From now on, the first request whose request line matches {@code requestLine} is held. */
  public void arm(Pattern requestLine) {
    held = new CountDownLatch(1);
    armed = requestLine;
  }

  public void disarm() {
    armed = null;
  }

  /** Whether a request was held since the last {@link #arm}. */
  public boolean holding() {
    return held.getCount() == 0;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getHost(), target.getPort());
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean requests) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          Pattern line = armed;
          // A client sends its next request only after the last answer: a request line starts a read.
          if (requests && line != null && line.matcher(new String(buffer, 0, Math.min(n, 512),
              StandardCharsets.ISO_8859_1)).lookingAt()) {
            armed = null;
            held.countDown();
            in.transferTo(OutputStream.nullOutputStream()); // until the killed process's socket closes
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away: so does the other
      } finally {
        close(from);
        close(to);
      }
    }, "held-write-pump");
    pump.setDaemon(true);
    pump.start();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
