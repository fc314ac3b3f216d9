package io.eniroute.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /healthz, /readyz and /metrics over plain HTTP (JDK server, one small thread), for the agent
 * and the operator alike. When the health and metrics ports are equal one server answers all
 * three paths; otherwise /metrics is only on the metrics port and the probes only on the health
 * port. Port 0 picks a free port (tests).
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor;
  private final HttpServer health;
  private final HttpServer metricsServer;

  public HttpEndpoints(String bindAddress, int healthPort, int metricsPort, Probes probes, Supplier<String> scrape) {
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "http-endpoints");
      t.setDaemon(true);
      return t;
    });
    try {
      health = server(bindAddress, healthPort);
      metricsServer = metricsPort == healthPort ? health : server(bindAddress, metricsPort);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    health.createContext("/healthz", ex -> probe(ex, probes.notLiveReason(), "ok\n"));
    health.createContext("/readyz", ex -> probe(ex, probes.notReadyReason(), "ready\n"));
    metricsServer.createContext("/metrics", ex -> reply(ex, 200, scrape.get(), PROMETHEUS_TEXT));
    for (HttpServer s : servers) {
      s.setExecutor(executor);
      s.start();
    }
    log.info("health on {}:{} (/healthz, /readyz), metrics on {}:{} (/metrics)",
        bindAddress, healthPort(), bindAddress, metricsPort());
  }

  private HttpServer server(String bindAddress, int port) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(bindAddress, port), 8);
      servers.add(s);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port
          + " (is the port in use? choose another with --health-port/--metrics-port)", e);
    }
  }

  public int healthPort() {
    return health.getAddress().getPort();
  }

  public int metricsPort() {
    return metricsServer.getAddress().getPort();
  }

  private static void probe(HttpExchange ex, String problem, String okBody) throws IOException {
    reply(ex, problem == null ? 200 : 503, problem == null ? okBody : problem + "\n", TEXT);
  }

  private static void reply(HttpExchange ex, int code, String body, String type) throws IOException {
    try (ex) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(code, head ? -1 : b.length);
      if (!head) {
        ex.getResponseBody().write(b);
      }
    }
  }

  @Override
  public void close() {
    for (HttpServer s : servers) {
      s.stop(0);
    }
    executor.shutdownNow();
  }
}
