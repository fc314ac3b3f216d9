package io.eniroute.lab.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy in front of the API server, for faults a real server will not make by
 * itself: {@link #cut()} drops every connection and refuses new ones (the server is unreachable),
 * {@link #restore()} lets them through again. TLS passes through untouched.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tcp-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private TcpProxy(ServerSocket listener, InetSocketAddress target) {
    this.listener = listener;
    this.target = target;
  }

  /** A proxy on a free loopback port forwarding to {@code url}'s host and port. */
  public static TcpProxy to(String url) {
    URI u = URI.create(url);
    try {
      ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TcpProxy p = new TcpProxy(s, new InetSocketAddress(u.getHost(), u.getPort()));
      p.threads.execute(p::accept);
      return p;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open a proxy port", e);
    }
  }

  /** The URL to give clients instead of the server's. */
  public String url() {
    return "https://127.0.0.1:" + listener.getLocalPort();
  }

  public void cut() {
    cut = true;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  public void restore() {
    cut = false;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (cut) {
          closeQuietly(client);
          continue;
        }
        Socket server = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(server);
        threads.execute(() -> pump(client, server));
        threads.execute(() -> pump(server, client));
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16384];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // One side closed: close both.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    cut();
    try {
      listener.close();
    } catch (IOException ignored) {
      // Already closed.
    }
    threads.shutdownNow();
  }
}
