package io.eniroute.sandbox;

import io.eniroute.lab.Cmd;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;

/** EC2 played by {@code moto_server} on a free loopback port, driven through the AWS SDK. */
public final class MotoEc2 implements Ec2Environment {
  /** moto accepts any credentials; the operator gets the same through its environment. */
  public static final Map<String, String> CREDENTIALS_ENV = Map.of(
      "AWS_ACCESS_KEY_ID", "sandbox", "AWS_SECRET_ACCESS_KEY", "sandbox", "AWS_REGION", REGION);

  private final ProcessSupervisor.Managed server;
  private final String endpoint;
  private final Ec2Client ec2;
  private final String subnetId;

  private MotoEc2(ProcessSupervisor.Managed server, String endpoint, Ec2Client ec2, String subnetId) {
    this.server = server;
    this.endpoint = endpoint;
    this.ec2 = ec2;
    this.subnetId = subnetId;
  }

  public static MotoEc2 start(ProcessSupervisor supervisor) throws IOException, InterruptedException {
    int port = Ports.free();
    ProcessSupervisor.Managed moto = supervisor.start("moto_server", command(supervisor, port), Map.of());
    ProcessSupervisor.awaitPort(moto, port, Duration.ofSeconds(30));
    String endpoint = "http://127.0.0.1:" + port;
    Ec2Client ec2 = Ec2Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("sandbox", "sandbox")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24").availabilityZone(ZONE))
        .subnet().subnetId();
    return new MotoEc2(moto, endpoint, ec2, subnet);
  }

  /** moto_server with EC2-like address picks (see {@link io.eniroute.lab.MotoCommand}); its script goes next to its log. */
  private static List<String> command(ProcessSupervisor supervisor, int port) throws IOException {
    return io.eniroute.lab.MotoCommand.forPort(port, supervisor.logDir());
  }

  public static boolean available() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "moto_server"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String label() {
    return "moto_server " + endpoint + " (log " + server.logFile() + ")";
  }

  @Override
  public Optional<String> endpoint() {
    return Optional.of(endpoint);
  }

  @Override
  public String subnetId() {
    return subnetId;
  }

  @Override
  public List<Ec2Instance> launch(List<String> nodes) {
    List<Ec2Instance> out = new ArrayList<>();
    for (String node : nodes) {
      Instance i = ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1)
              .instanceType(INSTANCE_TYPE).subnetId(subnetId)
              .tagSpecifications(t -> t.resourceType("instance").tags(tag -> tag.key("Name").value(node))))
          .instances().get(0);
      out.add(new Ec2Instance(node, i.instanceId(), ZONE));
    }
    return out;
  }

  @Override
  public List<Ec2Interface> attachedInterfaces() {
    List<NetworkInterface> enis = ec2.describeNetworkInterfacesPaginator(r -> r.filters(
            Filter.builder().name("subnet-id").values(subnetId).build()))
        .networkInterfaces().stream().toList();
    List<Ec2Interface> out = new ArrayList<>();
    for (NetworkInterface n : enis) {
      if (n.attachment() == null || n.attachment().instanceId() == null) {
        continue;
      }
      List<String> ips = new ArrayList<>();
      n.privateIpAddresses().stream().filter(p -> Boolean.TRUE.equals(p.primary()))
          .map(NetworkInterfacePrivateIpAddress::privateIpAddress).forEach(ips::add);
      n.privateIpAddresses().stream().filter(p -> !Boolean.TRUE.equals(p.primary()))
          .map(NetworkInterfacePrivateIpAddress::privateIpAddress).forEach(ips::add);
      out.add(new Ec2Interface(n.networkInterfaceId(), n.macAddress().toLowerCase(),
          n.attachment().instanceId(), n.attachment().deviceIndex(), ips));
    }
    out.sort(Comparator.comparing(Ec2Interface::instanceId).thenComparingInt(Ec2Interface::deviceIndex));
    return out;
  }

  @Override
  public Ec2Interface attachByHand(String instanceId, int secondaryIps) {
    int next = attachedInterfaces().stream().filter(e -> e.instanceId().equals(instanceId))
        .mapToInt(Ec2Interface::deviceIndex).max().orElse(-1) + 1;
    NetworkInterface eni = ec2.createNetworkInterface(r -> r.subnetId(subnetId)
        .secondaryPrivateIpAddressCount(secondaryIps > 0 ? secondaryIps : null)
        .description("attached by hand")
        .tagSpecifications(t -> t.resourceType("network-interface")
            .tags(tag -> tag.key(Policies.ADOPT_TAG_KEY).value(Policies.ADOPT_TAG_VALUE)))).networkInterface();
    ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni.networkInterfaceId()).instanceId(instanceId).deviceIndex(next));
    return attachedInterfaces().stream().filter(e -> e.id().equals(eni.networkInterfaceId())).findFirst().orElseThrow();
  }

  @Override
  public boolean allocateElasticIpPool(int count, String tagKey, String tagValue) {
    for (int i = 0; i < count; i++) {
      ec2.allocateAddress(r -> r.domain("vpc").tagSpecifications(t -> t.resourceType("elastic-ip")
          .tags(tag -> tag.key(tagKey).value(tagValue))));
    }
    return true;
  }

  @Override
  public Map<String, Integer> elasticIpsByInstance() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (var a : ec2.describeAddresses().addresses()) {
      if (a.networkInterfaceId() == null || a.networkInterfaceId().isEmpty()) {
        continue;
      }
      attachedInterfaces().stream().filter(e -> e.id().equals(a.networkInterfaceId())).findFirst()
          .ifPresent(e -> out.merge(e.instanceId(), 1, Integer::sum));
    }
    return out;
  }

  @Override
  public void assignSecondary(String eniId, int count) {
    ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eniId).secondaryPrivateIpAddressCount(count));
  }

  @Override
  public void close() {
    ec2.close();
    try {
      server.stop(Duration.ofSeconds(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
