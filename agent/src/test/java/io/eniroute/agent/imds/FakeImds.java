package io.eniroute.agent.imds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An IMDSv2 stand-in on a local port: token PUT with the TTL header (400 without it), 401 for a
 * read without a valid token, 404 for an unknown path, and device numbers that can stay 0 for
 * the first reads (the hot-plug trap).
 */
public final class FakeImds implements AutoCloseable {
  static final String PREFIX = "/latest/meta-data/";

  private final HttpServer server;
  private final Map<String, String> values = new ConcurrentHashMap<>();
  /** MAC -> reads of its device-number that still answer 0. */
  private final Map<String, AtomicInteger> zeroReads = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> deviceReads = new ConcurrentHashMap<>();
  private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
  final AtomicInteger tokenPuts = new AtomicInteger();
  final AtomicInteger unauthorized = new AtomicInteger();

  public FakeImds() throws IOException {
    this(0);
  }

  /** On a given loopback port (0: any), e.g. the port of an IMDS that was down and comes back. */
  public FakeImds(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public FakeImds instance(String id, String region, String primaryMac) {
    values.put("instance-id", id);
    values.put("placement/region", region);
    values.put("mac", primaryMac);
    return this;
  }

  /** Adds an ENI; networkCard null leaves the key out (single-card instance types). */
  public FakeImds eni(String mac, String id, int device, Integer networkCard, String subnet, String... ips) {
    String base = "network/interfaces/macs/" + mac + "/";
    values.put(base + "device-number", Integer.toString(device));
    if (networkCard != null) {
      values.put(base + "network-card", networkCard.toString());
    }
    values.put(base + "interface-id", id);
    values.put(base + "local-ipv4s", String.join("\n", ips));
    values.put(base + "subnet-ipv4-cidr-block", subnet);
    String listing = values.getOrDefault("network/interfaces/macs/", "");
    values.put("network/interfaces/macs/", listing.isEmpty() ? mac + "/" : listing + "\n" + mac + "/");
    return this;
  }

  /** The next {@code reads} reads of this MAC's device-number answer 0. */
  public FakeImds zeroFor(String mac, int reads) {
    zeroReads.put(mac, new AtomicInteger(reads));
    return this;
  }

  public int deviceReads(String mac) {
    return deviceReads.getOrDefault(mac, new AtomicInteger()).get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if ("PUT".equals(ex.getRequestMethod()) && "/latest/api/token".equals(path)) {
        String ttl = ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds");
        if (ttl == null || Integer.parseInt(ttl) < 1 || Integer.parseInt(ttl) > 21600) {
          send(ex, 400, "missing or invalid X-aws-ec2-metadata-token-ttl-seconds");
          return;
        }
        tokenPuts.incrementAndGet();
        String token = UUID.randomUUID().toString();
        tokens.put(token, true);
        ex.getResponseHeaders().add("X-aws-ec2-metadata-token-ttl-seconds", ttl);
        send(ex, 200, token);
        return;
      }
      String token = ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token");
      if (token == null || !tokens.containsKey(token)) {
        unauthorized.incrementAndGet();
        send(ex, 401, "");
        return;
      }
      if (!"GET".equals(ex.getRequestMethod()) || !path.startsWith(PREFIX)) {
        send(ex, 404, "");
        return;
      }
      String key = path.substring(PREFIX.length());
      String value = values.get(key);
      if (value == null) {
        send(ex, 404, "");
        return;
      }
      if (key.endsWith("/device-number")) {
        String mac = key.split("/")[3];
        deviceReads.computeIfAbsent(mac, m -> new AtomicInteger()).incrementAndGet();
        AtomicInteger zeros = zeroReads.get(mac);
        if (zeros != null && zeros.getAndDecrement() > 0) {
          value = "0";
        }
      }
      send(ex, 200, value);
    }
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
