package io.observes.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 that answers every request with what {@link Script} writes, for the
 * answers WireMock cannot give: headers then one byte then silence, a body without end. A script
 * that returns leaves the connection open until the client closes it (its read sees the end), so a
 * silent server is silent without any sleep.
 */
final class RawServer implements AutoCloseable {
  /** Writes the answer; may write forever (the client's close ends it with an IOException). */
  @FunctionalInterface
  interface Script {
    void answer(OutputStream out) throws IOException;
  }

  private final ServerSocket server;
  private final Script script;
  private final Thread acceptor;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  /** The request heads received (request line and headers), for assertions on what was sent. */
  final List<String> heads = new CopyOnWriteArrayList<>();

  RawServer(Script script) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    this.acceptor = new Thread(this::accept, "raw-server-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread t = new Thread(() -> serve(socket), "raw-server-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      heads.add(head(in));
      requests.incrementAndGet();
      OutputStream out = socket.getOutputStream();
      script.answer(out);
      out.flush();
      // Silence: hold the connection until the client gives up and closes it.
      while (in.read() != -1) {
        // a client sends nothing more on this connection
      }
    } catch (IOException e) {
      // the client closed the connection: what every stalled answer ends with
    } finally {
      open.remove(socket);
    }
  }

  private static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }

  static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
  }
}
