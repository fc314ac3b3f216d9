package io.eniroute.lab.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A fault-injecting front for the real kube-apiserver: a plain-HTTP listener on loopback that
 * forwards every request to the server's HTTPS port (the Authorization header, a
 * ServiceAccount's bearer token, passes through, so the server authenticates and authorizes the
 * real identity) and streams the real answer back, watches included. An injected
 * {@link ApiFault} replaces the answer of the requests it matches (409, 410, 500) or delays it,
 * a given number of times; everything else is the server's own answer.
 *
 * <p>Clients use {@link #url()} as their master URL. Only bearer-token identities work through
 * it: a client certificate ends at this listener.
 */
public final class FaultyApiProxy implements AutoCloseable {
  /** A fault in force: how often it struck, and what the server answered the requests it let through. */
  public static final class Injected {
    private final ApiFault fault;
    private final Runnable concurrentWriter;
    private final AtomicInteger hits = new AtomicInteger();
    private final List<Integer> serverCodes = new CopyOnWriteArrayList<>();
    private volatile boolean lifted;

    private Injected(ApiFault fault, Runnable concurrentWriter) {
      this.fault = fault;
      this.concurrentWriter = concurrentWriter;
    }

    /** Claims one strike; false once {@code times} are used up or the fault was lifted. */
    private boolean strike() {
      if (lifted) {
        return false;
      }
      int n = hits.incrementAndGet();
      if (n > fault.times()) {
        hits.decrementAndGet();
        return false;
      }
      return true;
    }

    /** Requests this fault answered (or delayed). */
    public int hits() {
      return hits.get();
    }

    public boolean exhausted() {
      return lifted || hits.get() >= fault.times();
    }

    /** What the server answered the requests this fault forwarded (slow, concurrent write, after commit). */
    public List<Integer> serverCodes() {
      return List.copyOf(serverCodes);
    }

    /** Stops injecting: the server answers again. */
    public void lift() {
      lifted = true;
    }

    public ApiFault fault() {
      return fault;
    }

    @Override
    public String toString() {
      return fault + " (struck " + hits.get() + ")";
    }
  }

  /** Hop-by-hop headers and those the JDK client sets itself. */
  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "keep-alive", "transfer-encoding", "te", "trailer", "http2-settings", "proxy-connection");

  private final HttpServer server;
  private final URI target;
  private final HttpClient upstream;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-api");
    t.setDaemon(true);
    return t;
  });
  private final List<Injected> faults = new CopyOnWriteArrayList<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final Set<InputStream> streams = ConcurrentHashMap.newKeySet();

  private FaultyApiProxy(URI target, SSLContext tls) {
    this.target = target;
    this.upstream = HttpClient.newBuilder().sslContext(tls).executor(threads).connectTimeout(Duration.ofSeconds(10)).build();
    try {
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a port for the fault-injecting front", e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A front for {@code plane}'s API server, trusting its CA. */
  public static FaultyApiProxy in(ControlPlane plane) {
    Config admin = plane.adminConfig();
    return new FaultyApiProxy(URI.create(admin.getMasterUrl()), trusting(admin));
  }

  /** The URL to give clients instead of the server's. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public Injected inject(ApiFault fault) {
    return inject(fault, () -> { });
  }

  /** {@code concurrentWriter} runs before each struck request of a {@link ApiFault.Answer#CONCURRENT_WRITE} fault. */
  public Injected inject(ApiFault fault, Runnable concurrentWriter) {
    Injected i = new Injected(fault, concurrentWriter);
    faults.add(i);
    return i;
  }

  /** Removes every fault (those in force stop at once). */
  public void clear() {
    faults.forEach(Injected::lift);
    faults.clear();
  }

  /**
   * {@code identity} aimed at this front, watching over HTTP streams: the front cannot forward
   * WebSockets, fabric8's default watch transport. The events are the same; the transport differs
   * from production (see contributing.md).
   */
  public io.fabric8.kubernetes.client.Config configFor(io.fabric8.kubernetes.client.Config identity) {
    identity.setMasterUrl(url());
    identity.setOnlyHttpWatches(true);
    return identity;
  }

  /** Every request seen so far, as "METHOD path[ watch]" (for a failure message). */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      boolean watch = query != null && (query.contains("watch=true") || query.contains("watch=1"));
      requests.add(method + " " + path + (watch ? " watch from " + resourceVersion(query) : "")
          + (ex.getRequestHeaders().containsKey("Upgrade") ? " upgrade " + ex.getRequestHeaders().getFirst("Upgrade") : "")
          + " " + ex.getRequestHeaders().getFirst("User-Agent"));
      byte[] body = ex.getRequestBody().readAllBytes();
      if ("websocket".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Upgrade"))) {
        // The JDK server cannot switch protocols: clients of the front watch over HTTP streams
        // (configFor). Refused at once: passed on as a plain GET, a WebSocket handshake waited
        // for a 101 that never came.
        status(ex, 503, "ServiceUnavailable", "FaultyApiProxy does not forward WebSocket upgrades: use FaultyApiProxy.configFor");
        return;
      }
      Injected struck = faults.stream().filter(f -> f.fault.matches(method, path, watch) && f.strike()).findFirst().orElse(null);
      if (struck == null) {
        forward(ex, method, path, query, body, null);
        return;
      }
      ApiFault f = struck.fault;
      switch (f.answer()) {
        case SLOW -> {
          LockSupport.parkNanos(f.delay().toNanos());
          forward(ex, method, path, query, body, struck);
        }
        case CONCURRENT_WRITE -> {
          struck.concurrentWriter.run();
          forward(ex, method, path, query, body, struck);
        }
        case SERVER_ERROR -> {
          if (f.afterServer()) {
            forwardAndDrop(method, path, query, ex, body, struck);
          }
          status(ex, 500, "InternalError", "Internal error occurred: injected by FaultyApiProxy (" + f + ")");
        }
        case CONFLICT -> status(ex, 409, "Conflict", "Operation cannot be fulfilled on " + objectOf(path)
            + ": the object has been modified; please apply your changes to the latest version and try again");
        case GONE -> {
          if (watch) {
            expiredWatch(ex, query);
          } else {
            status(ex, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The client went away (a watch closed) or the server did: nothing to answer.
    }
  }

  private void forward(HttpExchange ex, String method, String path, String query, byte[] body, Injected struck)
      throws IOException {
    HttpResponse<InputStream> answer;
    try {
      answer = send(method, path, query, ex, body);
    } catch (IOException e) {
      status(ex, 503, "ServiceUnavailable", "the front could not reach the API server: " + e.getMessage());
      return;
    }
    if (struck != null) {
      struck.serverCodes.add(answer.statusCode());
    }
    InputStream in = answer.body();
    streams.add(in);
    try (in) {
      answer.headers().map().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
          ex.getResponseHeaders().put(name, values);
        }
      });
      int code = answer.statusCode();
      long length = answer.headers().firstValueAsLong("content-length").orElse(0);
      boolean noBody = code == 204 || code == 304 || "HEAD".equals(method) || (length == 0 && answer.headers().firstValue("content-length").isPresent());
      ex.sendResponseHeaders(code, noBody ? -1 : length);
      if (noBody) {
        return;
      }
      OutputStream out = ex.getResponseBody();
      out.flush(); // the headers now: a watch's client waits for them before it counts the watch as started
      byte[] buf = new byte[16384];
      int n;
      // Flushed chunk by chunk: a watch's events reach the client as the server sends them.
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } finally {
      streams.remove(in);
    }
  }

  private void forwardAndDrop(String method, String path, String query, HttpExchange ex, byte[] body, Injected struck) {
    try {
      HttpResponse<InputStream> answer = send(method, path, query, ex, body);
      struck.serverCodes.add(answer.statusCode());
      try (InputStream in = answer.body()) {
        in.readAllBytes();
      }
    } catch (IOException e) {
      // The answer is replaced anyway.
    }
  }

  private HttpResponse<InputStream> send(String method, String path, String query, HttpExchange ex, byte[] body)
      throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(path + (query == null ? "" : "?" + query)))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    try {
      return upstream.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** A metav1.Status as the server writes it. */
  private static void status(HttpExchange ex, int code, String reason, String message) throws IOException {
    String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + quote(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /**
   * What the watch cache sends for a resourceVersion older than it holds
   * (apiserver storage/cacher watch_cache.go: errors.NewResourceExpired, "too old resource
   * version: RV (OLDEST)"): HTTP 200, one ERROR event carrying the Status, end of stream.
   */
  private static void expiredWatch(HttpExchange ex, String query) throws IOException {
    String rv = resourceVersion(query);
    String oldest = rv.chars().allMatch(Character::isDigit) && !rv.isEmpty() ? Long.toString(Long.parseLong(rv) + 1) : "1";
    String json = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"too old resource version: " + rv + " (" + oldest + ")\",\"reason\":\"Expired\",\"code\":410}}\n";
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    out.write(json.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The resourceVersion a request asks for, "" when none. */
  private static String resourceVersion(String query) {
    for (String kv : query == null ? new String[0] : query.split("&")) {
      if (kv.startsWith("resourceVersion=")) {
        return kv.substring("resourceVersion=".length());
      }
    }
    return "";
  }

  /** "nodenetworkconfigs.eniroute.io \"node-a\"" from an API path, as the server names the object. */
  static String objectOf(String path) {
    String[] p = path.replaceAll("/status$", "").split("/");
    if (p.length < 2) {
      return "\"" + path + "\"";
    }
    String name = p[p.length - 1];
    String plural = p[p.length - 2];
    String group = p.length > 2 && "apis".equals(p[1]) ? "." + p[2] : "";
    return plural + group + " \"" + name + "\"";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static SSLContext trusting(Config admin) {
    try {
      byte[] pem = admin.getCaCertData() != null
          ? Base64.getDecoder().decode(admin.getCaCertData().trim())
          : Files.readAllBytes(Path.of(admin.getCaCertFile()));
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      return tls;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust the API server's CA: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    clear();
    server.stop(0);
    streams.forEach(s -> {
      try {
        s.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    });
    threads.shutdownNow();
  }
}
