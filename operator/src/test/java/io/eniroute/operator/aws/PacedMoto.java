package io.eniroute.operator.aws;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;

/**
 * moto_server and an SDK client for it wired as the operator wires its own: the limiter's
 * interceptor charges every request of an eniroute action; {@link #operations} records each
 * request's operation name. Plus the reads the moto tests check EC2 with.
 */
final class PacedMoto implements AutoCloseable {
  final ConcurrentLinkedQueue<String> operations = new ConcurrentLinkedQueue<>();
  private final MotoServer server;
  private final Ec2Client ec2;

  private PacedMoto(String region) throws Exception {
    server = MotoServer.start();
    Ec2RateLimiter limiter = Ec2RateLimiter.forEc2(Duration.ofSeconds(30));
    ec2 = Ec2Allocators.pacedBy(server.clientBuilder(region, operations), limiter, Ec2RetryListener.NONE).build();
  }

  static PacedMoto start(String region) throws Exception {
    return new PacedMoto(region);
  }

  Ec2Client ec2() {
    return ec2;
  }

  /** The instance's interfaces, by device index. */
  List<NetworkInterface> attached(String instance) {
    return ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("attachment.instance-id").values(instance).build()))
        .networkInterfaces().stream().sorted(Comparator.comparing(e -> e.attachment().deviceIndex())).toList();
  }

  static List<String> secondaries(NetworkInterface e) {
    return e.privateIpAddresses().stream().filter(p -> !Boolean.TRUE.equals(p.primary()))
        .map(NetworkInterfacePrivateIpAddress::privateIpAddress).toList();
  }

  @Override
  public void close() {
    ec2.close();
    server.close();
  }
}
