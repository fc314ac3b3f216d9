package io.eniroute.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * /healthz (the process serves requests), /readyz (the operator started and its informers are
 * healthy) and /metrics (Prometheus text), on one or two ports.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final List<HttpServer> servers = new ArrayList<>();

  public HttpEndpoints(int healthPort, int metricsPort, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer health = HttpServer.create(new InetSocketAddress(healthPort), 0);
    health.createContext("/healthz", ex -> reply(ex, 200, "ok\n", "text/plain"));
    health.createContext("/readyz", ex -> {
      boolean ok = ready.getAsBoolean();
      reply(ex, ok ? 200 : 503, ok ? "ok\n" : "not ready: operator not started or an informer is unhealthy\n", "text/plain");
    });
    HttpServer metrics = health;
    if (metricsPort != healthPort) {
      metrics = HttpServer.create(new InetSocketAddress(metricsPort), 0);
      servers.add(metrics);
    }
    metrics.createContext("/metrics", ex -> reply(ex, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    servers.add(0, health);
    for (HttpServer s : servers) {
      s.setExecutor(Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "http-endpoints");
        t.setDaemon(true);
        return t;
      }));
      s.start();
    }
  }

  public int healthPort() {
    return servers.get(0).getAddress().getPort();
  }

  public int metricsPort() {
    return servers.get(servers.size() - 1).getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int code, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
