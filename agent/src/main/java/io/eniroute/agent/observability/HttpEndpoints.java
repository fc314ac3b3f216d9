package io.eniroute.agent.observability;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /healthz, /readyz and /metrics over plain HTTP (JDK server, one small thread). When the health
 * and metrics ports are equal one server answers all three paths; otherwise /metrics is only on
 * the metrics port and the probes only on the health port. Port 0 picks a free port (tests).
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor;
  private final HttpServer health;
  private final HttpServer metricsServer;

  public HttpEndpoints(String bindAddress, int healthPort, int metricsPort, Health state, AgentMetrics metrics) {
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "http-endpoints");
      t.setDaemon(true);
      return t;
    });
    health = server(bindAddress, healthPort);
    health.createContext("/healthz", ex -> reply(ex, state.live() ? 200 : 503,
        state.live() ? "ok\n" : "the reconcile loop is not running\n", "text/plain; charset=utf-8"));
    health.createContext("/readyz", ex -> {
      String why = state.notReadyReason();
      reply(ex, why == null ? 200 : 503, why == null ? "ready\n" : why + "\n", "text/plain; charset=utf-8");
    });
    metricsServer = metricsPort == healthPort ? health : server(bindAddress, metricsPort);
    metricsServer.createContext("/metrics", ex -> reply(ex, 200, metrics.scrape(), PROMETHEUS_TEXT));
    for (HttpServer s : servers) {
      s.setExecutor(executor);
      s.start();
    }
    log.info("health on {}:{} (/healthz, /readyz), metrics on {}:{} (/metrics)", bindAddress, healthPort(), bindAddress, metricsPort());
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
