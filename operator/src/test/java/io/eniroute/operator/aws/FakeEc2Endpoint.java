package io.eniroute.operator.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * {@link FakeEc2} behind EC2's Query protocol on a loopback port, so a real {@code Ec2Client}
 * (its retries, its paginator, its interceptors) talks to the fake's state and buckets. Every HTTP
 * request is one call of the fake, so the fake charges one token per request: a retry and each
 * page of a describe are requests of their own, as on EC2. DescribeNetworkInterfaces is paged
 * with NextToken at {@link #pageSize} results. Errors come back as EC2 sends them (the Errors
 * document; 503 for RequestLimitExceeded). Serves the actions the allocator's hand-out uses;
 * any other answers InvalidAction.
 */
public final class FakeEc2Endpoint implements AutoCloseable {
  private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  private final FakeEc2 ec2;
  private final HttpServer server;
  private final ExecutorService threads;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile int pageSize = 1000;
  private final Map<String, AtomicInteger> lostAnswers = new java.util.concurrent.ConcurrentHashMap<>();

  private FakeEc2Endpoint(FakeEc2 ec2, int threads) throws IOException {
    this.ec2 = ec2;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.threads = Executors.newFixedThreadPool(threads);
    server.setExecutor(this.threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeEc2Endpoint serve(FakeEc2 ec2) throws IOException {
    return serve(ec2, 4);
  }

  /** With {@code threads} serving requests (benchmarks with many callers). */
  public static FakeEc2Endpoint serve(FakeEc2 ec2, int threads) throws IOException {
    return new FakeEc2Endpoint(ec2, threads);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The operator's client builder (Ec2Allocators.clientBuilder) aimed here, with test credentials. */
  public Ec2ClientBuilder clientBuilder() {
    return Ec2Allocators.clientBuilder(Optional.of(endpoint()), Optional.of("us-east-1"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
  }

  /** The next {@code times} requests of {@code action} are performed, then answered 500 (the answer is lost). */
  public FakeEc2Endpoint loseAnswers(String action, int times) {
    lostAnswers.put(action, new AtomicInteger(times));
    return this;
  }

  public FakeEc2Endpoint pageSize(int results) {
    this.pageSize = results;
    return this;
  }

  /** HTTP requests answered so far (every attempt, every page). */
  public int requests() {
    return requests.get();
  }

  /** Stops answering: later requests are refused on the wire (connection refused). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  private void handle(HttpExchange x) throws IOException {
    requests.incrementAndGet();
    Map<String, String> q = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String action = q.getOrDefault("Action", "");
    int status = 200;
    String body;
    try {
      body = "<" + action + "Response xmlns=\"" + NS + "\"><requestId>r-" + requests.get() + "</requestId>"
          + answer(action, q) + "</" + action + "Response>";
      AtomicInteger lose = lostAnswers.get(action);
      if (lose != null && lose.getAndDecrement() > 0) {
        throw new IllegalStateException("performed, then the answer was lost (injected by the test)");
      }
    } catch (Ec2CallException e) {
      status = e.code().equals("RequestLimitExceeded") ? 503 : 400;
      body = "<Response><Errors><Error><Code>" + esc(e.code()) + "</Code><Message>" + esc(e.getMessage())
          + "</Message></Error></Errors><RequestID>r-" + requests.get() + "</RequestID></Response>";
    } catch (RuntimeException e) {
      status = 500;
      body = "<Response><Errors><Error><Code>InternalError</Code><Message>" + esc(String.valueOf(e))
          + "</Message></Error></Errors><RequestID>r</RequestID></Response>";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String answer(String action, Map<String, String> q) {
    return switch (action) {
      case "DescribeNetworkInterfaces" -> describeInterfaces(q);
      case "DescribeInstanceTypes" -> {
        InstanceTypeLimits l = ec2.describeTypeLimits(q.get("InstanceType.1"));
        StringBuilder cards = new StringBuilder();
        for (int i = 0; i < l.interfacesPerCard().size(); i++) {
          cards.append("<item><networkCardIndex>").append(i).append("</networkCardIndex><maximumNetworkInterfaces>")
              .append(l.interfacesPerCard().get(i)).append("</maximumNetworkInterfaces></item>");
        }
        yield "<instanceTypeSet><item><instanceType>" + l.instanceType() + "</instanceType><networkInfo>"
            + "<maximumNetworkInterfaces>" + l.maxInterfaces() + "</maximumNetworkInterfaces><ipv4AddressesPerInterface>"
            + l.ipv4PerInterface() + "</ipv4AddressesPerInterface><networkCards>" + cards + "</networkCards>"
            + "</networkInfo></item></instanceTypeSet>";
      }
      case "DescribeInstances" -> {
        String id = q.get("InstanceId.1");
        yield ec2.describeInstanceType(id).map(t -> "<reservationSet><item><instancesSet><item><instanceId>" + id
            + "</instanceId><instanceType>" + t + "</instanceType></item></instancesSet></item></reservationSet>")
            .orElse("<reservationSet/>");
      }
      case "DescribeSubnets" -> {
        String id = q.get("SubnetId.1");
        yield ec2.describeSubnetCidr(id).map(c -> "<subnetSet><item><subnetId>" + id + "</subnetId><cidrBlock>" + c
            + "</cidrBlock></item></subnetSet>").orElseThrow(() -> new Ec2CallException("DescribeSubnets",
            "InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist"));
      }
      case "AssignPrivateIpAddresses" -> {
        String eni = q.get("NetworkInterfaceId");
        List<String> ips = ec2.assignSecondaryIps(eni, Integer.parseInt(q.get("SecondaryPrivateIpAddressCount")));
        yield "<networkInterfaceId>" + eni + "</networkInterfaceId><assignedPrivateIpAddressesSet>"
            + items(ips, ip -> "<privateIpAddress>" + ip + "</privateIpAddress>") + "</assignedPrivateIpAddressesSet>";
      }
      case "CreateTags" -> {
        ec2.createTags(q.get("ResourceId.1"), indexed(q, "Tag", "Key", "Value"));
        yield "<return>true</return>";
      }
      default -> throw new Ec2CallException(action, "InvalidAction", "FakeEc2Endpoint does not serve " + action);
    };
  }

  private String describeInterfaces(Map<String, String> q) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (int i = 1; q.containsKey("Filter." + i + ".Name"); i++) {
      List<String> values = new ArrayList<>();
      for (int j = 1; q.containsKey("Filter." + i + ".Value." + j); j++) {
        values.add(q.get("Filter." + i + ".Value." + j));
      }
      filters.put(q.get("Filter." + i + ".Name"), values);
    }
    List<Eni> all = ec2.describeInterfaces(filters); // one request: one call of the fake, one token
    int from = Integer.parseInt(q.getOrDefault("NextToken", "0"));
    int to = Math.min(all.size(), from + pageSize);
    String next = to < all.size() ? "<nextToken>" + to + "</nextToken>" : "";
    return "<networkInterfaceSet>" + items(all.subList(from, to), FakeEc2Endpoint::eni) + "</networkInterfaceSet>" + next;
  }

  private static String eni(Eni e) {
    StringBuilder s = new StringBuilder("<networkInterfaceId>").append(e.id()).append("</networkInterfaceId>")
        .append("<subnetId>").append(e.subnetId()).append("</subnetId><macAddress>").append(e.mac())
        .append("</macAddress><status>").append(e.status()).append("</status><privateIpAddress>")
        .append(e.primaryIp()).append("</privateIpAddress>")
        .append("<groupSet>").append(items(e.securityGroupIds(), g -> "<groupId>" + g + "</groupId>")).append("</groupSet>");
    if (e.attachment() != null) {
      Eni.Attachment a = e.attachment();
      s.append("<attachment><attachmentId>").append(a.id()).append("</attachmentId><instanceId>").append(a.instanceId())
          .append("</instanceId><deviceIndex>").append(a.deviceIndex()).append("</deviceIndex><networkCardIndex>")
          .append(a.networkCard()).append("</networkCardIndex><deleteOnTermination>").append(a.deleteOnTermination())
          .append("</deleteOnTermination></attachment>");
    }
    List<String> ips = new ArrayList<>();
    ips.add("<privateIpAddress>" + e.primaryIp() + "</privateIpAddress><primary>true</primary>");
    e.secondaryIps().forEach(ip -> ips.add("<privateIpAddress>" + ip + "</privateIpAddress><primary>false</primary>"));
    s.append("<privateIpAddressesSet>").append(items(ips, i -> i)).append("</privateIpAddressesSet>");
    s.append("<tagSet>").append(items(List.copyOf(e.tags().entrySet()),
        t -> "<key>" + esc(t.getKey()) + "</key><value>" + esc(t.getValue()) + "</value>")).append("</tagSet>");
    return s.toString();
  }

  private static <T> String items(List<T> list, Function<T, String> item) {
    StringBuilder s = new StringBuilder();
    list.forEach(t -> s.append("<item>").append(item.apply(t)).append("</item>"));
    return s.toString();
  }

  /** {@code Tag.1.Key=a&Tag.1.Value=b} as a map. */
  private static Map<String, String> indexed(Map<String, String> q, String prefix, String key, String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 1; q.containsKey(prefix + "." + i + "." + key); i++) {
      out.put(q.get(prefix + "." + i + "." + key), q.getOrDefault(prefix + "." + i + "." + value, ""));
    }
    return out;
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
