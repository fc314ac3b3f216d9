package io.eniroute.operator.aws;

import static io.eniroute.operator.aws.Nodes.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The allocator through the real SDK against moto_server: 2 interfaces x 2 secondary addresses x
 * Elastic IPs from a tagged pool, checked with DescribeNetworkInterfaces/DescribeAddresses; a
 * second ensure makes no mutating call; release restores the instance and leaves foreign
 * interfaces and addresses alone.
 */
class MotoEc2AllocatorTest {
  private static final String REGION = "us-east-1";
  private static final Map<String, String> POOL = Map.of("eniroute.io/pool", "web");

  private static PacedMoto moto;
  private static Ec2Client ec2;
  private static ConcurrentLinkedQueue<String> operations;

  @BeforeAll
  static void startMoto() throws Exception {
    moto = PacedMoto.start(REGION);
    ec2 = moto.ec2();
    operations = moto.operations;
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void twoInterfacesTimesTwoAddressesTimesElasticIpsThenIdempotentThenReleased() {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24").availabilityZone(REGION + "a"))
        .subnet().subnetId();
    String instance = launch(subnet);
    String bystander = launch(subnet);
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String alloc = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
      ec2.createTags(r -> r.resources(alloc).tags(t -> t.key("eniroute.io/pool").value("web")));
      pool.add(alloc);
    }
    String foreignEip = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
    ec2.createTags(r -> r.resources(foreignEip).tags(t -> t.key("team").value("other")));
    NetworkInterface bystanderPrimary = moto.attached(bystander).get(0);
    ec2.associateAddress(r -> r.allocationId(foreignEip).networkInterfaceId(bystanderPrimary.networkInterfaceId())
        .privateIpAddress(bystanderPrimary.privateIpAddress()));
    String looseForeignEni = ec2.createNetworkInterface(r -> r.subnetId(subnet)).networkInterface().networkInterfaceId();
    NetworkInterface primaryBefore = moto.attached(instance).get(0);

    Ec2AddressAllocator allocator = new Ec2AddressAllocator(
        r -> new SdkEc2Gateway(ec2),
        Clock.systemUTC());
    Node node = Nodes.node("node-a", instance, REGION);
    AwsSettings want = settings(2, 2, POOL);

    Allocation a = allocator.ensure(node, want, 1);

    assertThat(a.complete()).as(a.message()).isTrue();
    List<NetworkInterface> enis = moto.attached(instance);
    assertThat(enis).hasSize(2);
    assertThat(enis).extracting(e -> e.attachment().deviceIndex()).containsExactly(0, 1);
    assertThat(enis).allSatisfy(e -> assertThat(PacedMoto.secondaries(e)).hasSize(2));
    assertThat(enis.get(1).tagSet()).anySatisfy(t -> {
      assertThat(t.key()).isEqualTo(Tags.MANAGED);
      assertThat(t.value()).isEqualTo("true");
    });
    List<Address> poolAddresses = ec2.describeAddresses(r -> r.filters(tag("eniroute.io/pool", "web"))).addresses();
    // moto ignores AssociateAddress' PrivateIpAddress (it reports the interface's primary address), so
    // the exact private address is read from eniroute's tag here; FakeEc2AllocatorTest checks it in EC2 terms.
    List<String> associatedPairs = poolAddresses.stream().filter(x -> x.associationId() != null && !x.associationId().isBlank())
        .map(x -> x.networkInterfaceId() + "/" + x.tags().stream().filter(t -> t.key().equals(Tags.ASSOCIATED_ADDRESS))
            .findFirst().orElseThrow().value()).sorted().toList();
    List<String> secondaryPairs = enis.stream().flatMap(e -> PacedMoto.secondaries(e).stream().map(ip -> e.networkInterfaceId() + "/" + ip))
        .sorted().toList();
    assertThat(associatedPairs).containsExactlyElementsOf(secondaryPairs).hasSize(4);
    assertThat(a.interfaces()).extracting(InterfaceAddresses::getMac)
        .containsExactly(enis.get(0).macAddress().toLowerCase(), enis.get(1).macAddress().toLowerCase());
    assertThat(a.interfaces().get(1).getAddresses()).as("addr/len with the subnet's prefix")
        .containsExactlyElementsOf(allIps(enis.get(1)).stream().map(ip -> ip + "/24").toList());

    // A restarted operator: a new allocator with nothing in memory finds everything in EC2.
    Ec2AddressAllocator restarted = new Ec2AddressAllocator(
        r -> new SdkEc2Gateway(ec2),
        Clock.systemUTC());
    operations.clear();
    Allocation again = restarted.ensure(node, want, 1);
    assertThat(again.complete()).isTrue();
    assertThat(operations).as("EC2 operations of the second ensure").isNotEmpty()
        .allSatisfy(op -> assertThat(op).startsWith("Describe"));
    assertThat(again.interfaces()).usingRecursiveFieldByFieldElementComparator().isEqualTo(a.interfaces());

    // someone attaches their own interface meanwhile: release must leave it
    String foreignAttached = ec2.createNetworkInterface(r -> r.subnetId(subnet)).networkInterface().networkInterfaceId();
    ec2.attachNetworkInterface(r -> r.networkInterfaceId(foreignAttached).instanceId(instance).deviceIndex(2));

    Allocation released = restarted.release(node, want);

    assertThat(released.complete()).as(released.message()).isTrue();
    List<NetworkInterface> after = moto.attached(instance);
    assertThat(after).extracting(NetworkInterface::networkInterfaceId)
        .containsExactly(primaryBefore.networkInterfaceId(), foreignAttached);
    assertThat(allIps(after.get(0))).containsExactlyElementsOf(allIps(primaryBefore));
    assertThat(ec2.describeAddresses(r -> r.filters(tag("eniroute.io/pool", "web"))).addresses())
        .allSatisfy(x -> assertThat(x.associationId()).isNullOrEmpty());
    assertThat(ec2.describeAddresses(r -> r.allocationIds(foreignEip)).addresses().get(0).networkInterfaceId())
        .isEqualTo(bystanderPrimary.networkInterfaceId());
    assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(looseForeignEni)).networkInterfaces()).hasSize(1);
    assertThat(ec2.describeNetworkInterfaces(r -> r.filters(tag(Tags.MANAGED, "true"))).networkInterfaces())
        .as("eniroute's interface is deleted").isEmpty();

    operations.clear();
    assertThat(allocator.release(node, want).complete()).isTrue();
    assertThat(operations).allSatisfy(op -> assertThat(op).startsWith("Describe"));
  }

  @Test
  void loweredCountsAreMarkedRetiringInEc2TagsAndReleasedOnlyUpToTheAppliedGeneration() {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
    String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.0.0/24").availabilityZone(REGION + "a"))
        .subnet().subnetId();
    String instance = launch(subnet);
    Ec2AddressAllocator allocator = new Ec2AddressAllocator(
        r -> new SdkEc2Gateway(ec2),
        Clock.systemUTC());
    Node node = Nodes.node("node-b", instance, REGION);
    assertThat(allocator.ensure(node, settings(2, 2, null), 1).complete()).isTrue();
    List<NetworkInterface> before = moto.attached(instance);
    String surplusEni = before.get(1).networkInterfaceId();
    String surplusIp = PacedMoto.secondaries(before.get(0)).get(1);

    Allocation lowered = allocator.ensure(node, settings(1, 1, null), 2);

    assertThat(lowered.complete()).as(lowered.message()).isTrue();
    assertThat(lowered.interfaces()).singleElement().satisfies(i ->
        assertThat(i.getAddresses()).hasSize(2).noneMatch(x -> x.startsWith(surplusIp + "/")));
    List<NetworkInterface> marked = moto.attached(instance);
    assertThat(marked).as("both interfaces stay attached").hasSize(2);
    assertThat(PacedMoto.secondaries(marked.get(0))).contains(surplusIp);
    assertThat(marked.get(1).tagSet()).anySatisfy(t -> {
      assertThat(t.key()).isEqualTo(Tags.RETIRING);
      assertThat(t.value()).isEqualTo("2");
    });
    assertThat(marked.get(0).tagSet()).anySatisfy(t -> {
      assertThat(t.key()).isEqualTo(Tags.RETIRING_IPS);
      assertThat(t.value()).isEqualTo(surplusIp + "@2");
    });
    operations.clear();
    assertThat(allocator.releaseRetired(node, settings(1, 1, null), 1).complete()).isTrue();
    assertThat(operations).as("an agent still on generation 1: nothing released")
        .allSatisfy(op -> assertThat(op).startsWith("Describe"));

    Allocation released = allocator.releaseRetired(node, settings(1, 1, null), 2);

    assertThat(released.complete()).as(released.message()).isTrue();
    List<NetworkInterface> after = moto.attached(instance);
    assertThat(after).singleElement().satisfies(e -> {
      assertThat(PacedMoto.secondaries(e)).hasSize(1).doesNotContain(surplusIp);
      assertThat(e.tagSet()).noneSatisfy(t -> assertThat(t.key()).isEqualTo(Tags.RETIRING_IPS));
    });
    assertThat(ec2.describeNetworkInterfaces(r -> r.filters(tag(Tags.INSTANCE, instance))).networkInterfaces())
        .extracting(NetworkInterface::networkInterfaceId).as("the retired interface is deleted").doesNotContain(surplusEni);
    assertThat(allocator.release(node, settings(1, 1, null)).complete()).isTrue();
  }

  private static String launch(String subnet) {
    return ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1).instanceType("t3.medium")
            .subnetId(subnet)
            .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tag -> tag.key("Name").value("test"))))
        .instances().get(0).instanceId();
  }

  private static List<String> allIps(NetworkInterface e) {
    List<String> out = new ArrayList<>();
    out.add(e.privateIpAddress());
    out.addAll(PacedMoto.secondaries(e));
    return out;
  }

  private static Filter tag(String key, String value) {
    return Filter.builder().name("tag:" + key).values(value).build();
  }
}
