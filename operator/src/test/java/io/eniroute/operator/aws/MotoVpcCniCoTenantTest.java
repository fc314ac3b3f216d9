package io.eniroute.operator.aws;

import static io.eniroute.operator.aws.Nodes.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.AwsAdoption;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The allocator on an EKS node where the AWS VPC CNI got there first (moto_server, real SDK): the
 * primary interface holds ipamd's warm pool and device index 1 is ipamd's pod interface. eniroute
 * must add exactly what the policy asks for on interfaces it owns, list no pod address in the
 * NodeNetworkConfig, put no Elastic IP on a pod address, tag its interfaces so ipamd stays away,
 * and leave the CNI's interfaces and addresses as they were on release.
 */
class MotoVpcCniCoTenantTest {
  private static final String REGION = "us-east-1";
  private static final Map<String, String> POOL = Map.of("eniroute.io/pool", "eks");

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
  void onAVpcCniNodeEnirouteGetsExactlyItsOwnAddressesOnItsOwnInterfacesAndNoPodIp() {
    String subnet = subnet("10.1.0.0/16", "10.1.0.0/24");
    String instance = launch(subnet);
    MotoIpamd ipamd = new MotoIpamd(ec2, "eks-test");
    String primaryEni = moto.attached(instance).get(0).networkInterfaceId();
    List<String> warmPool = ipamd.warmPrimary(primaryEni, 5);
    String cniEni = ipamd.attachPodInterface(instance, subnet, 1, 5);
    Set<String> podIps = new HashSet<>(warmPool);
    podIps.addAll(ipamd.secondaries(cniEni));
    podIps.add(moto.attached(instance).get(1).privateIpAddress());
    allocatePool(6);

    Ec2AddressAllocator allocator = allocator();
    Node node = Nodes.node("eks-node", instance, REGION);
    AwsSettings want = settings(3, 2, POOL);

    Allocation a = allocator.ensure(node, want, 1);

    assertThat(a.complete()).as(a.message()).isTrue();
    List<NetworkInterface> enis = moto.attached(instance);
    assertThat(enis).extracting(e -> e.attachment().deviceIndex()).containsExactly(0, 1, 2, 3);
    assertThat(enis.get(1).networkInterfaceId()).isEqualTo(cniEni);
    List<NetworkInterface> ours = List.of(enis.get(2), enis.get(3));
    assertThat(ours).allSatisfy(e -> {
      assertThat(tags(e)).containsEntry(Tags.MANAGED, "true").containsEntry(Tags.CNI_NO_MANAGE, "true");
      assertThat(PacedMoto.secondaries(e)).hasSize(2);
    });
    List<String> primaryNow = PacedMoto.secondaries(enis.get(0));
    assertThat(primaryNow).as("the warm pool stays and eniroute adds its own 2").hasSize(7).containsAll(warmPool);
    List<String> enirouteOnPrimary = primaryNow.stream().filter(ip -> !warmPool.contains(ip)).toList();
    assertThat(Tags.recordedSecondaryIps(tags(enis.get(0)))).containsExactlyInAnyOrderElementsOf(enirouteOnPrimary);
    assertThat(PacedMoto.secondaries(enis.get(1))).as("the CNI's interface is untouched").hasSize(5);

    // The NodeNetworkConfig's spec.addresses: eniroute's interfaces only, addr/len, no pod IP.
    assertThat(a.interfaces()).extracting(InterfaceAddresses::getInterfaceId)
        .containsExactly(primaryEni, ours.get(0).networkInterfaceId(), ours.get(1).networkInterfaceId());
    List<String> listed = a.interfaces().stream().flatMap(i -> i.getAddresses().stream()).toList();
    assertThat(listed).allSatisfy(x -> assertThat(x).endsWith("/24"));
    List<String> listedIps = listed.stream().map(x -> x.substring(0, x.indexOf('/'))).toList();
    assertThat(listedIps).as("no pod IP reaches the agent").doesNotContainAnyElementsOf(podIps).hasSize(9);
    List<String> expected = new ArrayList<>();
    expected.add(enis.get(0).privateIpAddress());
    expected.addAll(enirouteOnPrimary);
    for (NetworkInterface e : ours) {
      expected.add(e.privateIpAddress());
      expected.addAll(PacedMoto.secondaries(e));
    }
    assertThat(listedIps).containsExactlyInAnyOrderElementsOf(expected);

    // Elastic IPs: one per eniroute secondary, none on the CNI's interface or on a pod address.
    List<Address> associated = ec2.describeAddresses(r -> r.filters(tag("eniroute.io/pool", "eks"))).addresses()
        .stream().filter(x -> x.associationId() != null && !x.associationId().isBlank()).toList();
    assertThat(associated).hasSize(6).allSatisfy(x -> {
      assertThat(x.networkInterfaceId()).isNotEqualTo(cniEni);
      String bound = x.tags().stream().filter(t -> t.key().equals(Tags.ASSOCIATED_ADDRESS)).findFirst().orElseThrow().value();
      assertThat(podIps).doesNotContain(bound);
    });

    operations.clear();
    Allocation again = allocator().ensure(node, want, 1);
    assertThat(again.complete()).as(again.message()).isTrue();
    assertThat(operations).as("a second ensure on the co-tenant node only reads").isNotEmpty()
        .allSatisfy(op -> assertThat(op).startsWith("Describe"));
    assertThat(again.interfaces()).usingRecursiveFieldByFieldElementComparator().isEqualTo(a.interfaces());

    Allocation released = allocator().release(node, want);

    assertThat(released.complete()).as(released.message()).isTrue();
    List<NetworkInterface> after = moto.attached(instance);
    assertThat(after).extracting(NetworkInterface::networkInterfaceId).containsExactly(primaryEni, cniEni);
    assertThat(PacedMoto.secondaries(after.get(0))).as("the warm pool is still there, eniroute's addresses are gone")
        .containsExactlyInAnyOrderElementsOf(warmPool);
    assertThat(PacedMoto.secondaries(after.get(1))).hasSize(5);
    assertThat(tags(after.get(1))).doesNotContainKeys(Tags.MANAGED, Tags.CNI_NO_MANAGE);
  }

  @Test
  void anInterfaceAdoptedByTagsCountsTowardInterfacesPerNodeAndIsNeverDeleted() {
    String subnet = subnet("10.2.0.0/16", "10.2.0.0/24");
    String instance = launch(subnet);
    String db = ec2.createNetworkInterface(r -> r.subnetId(subnet).tagSpecifications(t -> t
        .resourceType(ResourceType.NETWORK_INTERFACE).tags(tag -> tag.key("team").value("db")))).networkInterface()
        .networkInterfaceId();
    ec2.attachNetworkInterface(r -> r.networkInterfaceId(db).instanceId(instance).deviceIndex(1));
    String cniEni = new MotoIpamd(ec2, "eks-test").attachPodInterface(instance, subnet, 2, 3);
    AwsSettings want = settings(2, 1, null);
    AwsAdoption adopt = new AwsAdoption();
    adopt.setInterfaceTags(Map.of("team", "db"));
    want.setAdopt(adopt);
    Node node = Nodes.node("adopting-node", instance, REGION);

    Allocation a = allocator().ensure(node, want, 1);

    assertThat(a.complete()).as(a.message()).isTrue();
    List<NetworkInterface> enis = moto.attached(instance);
    assertThat(enis).as("the adopted interface fills the second slot: nothing is created")
        .extracting(NetworkInterface::networkInterfaceId).hasSize(3).contains(db, cniEni);
    assertThat(PacedMoto.secondaries(enis.get(1))).hasSize(1);
    assertThat(a.interfaces()).extracting(InterfaceAddresses::getInterfaceId)
        .containsExactly(enis.get(0).networkInterfaceId(), db);

    Allocation released = allocator().release(node, want);

    assertThat(released.complete()).as(released.message()).isTrue();
    assertThat(moto.attached(instance)).extracting(NetworkInterface::networkInterfaceId).contains(db, cniEni);
  }

  private static Ec2AddressAllocator allocator() {
    return new Ec2AddressAllocator(
        r -> new SdkEc2Gateway(ec2),
        Clock.systemUTC());
  }

  private static String subnet(String vpcCidr, String cidr) {
    String vpc = ec2.createVpc(r -> r.cidrBlock(vpcCidr)).vpc().vpcId();
    return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(REGION + "a")).subnet().subnetId();
  }

  private static void allocatePool(int n) {
    for (int i = 0; i < n; i++) {
      String alloc = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
      ec2.createTags(r -> r.resources(alloc).tags(t -> t.key("eniroute.io/pool").value("eks")));
    }
  }

  private static String launch(String subnet) {
    return ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1).instanceType("m5.xlarge")
            .subnetId(subnet))
        .instances().get(0).instanceId();
  }

  private static Map<String, String> tags(NetworkInterface e) {
    Map<String, String> out = new HashMap<>();
    for (Tag t : e.tagSet()) {
      out.put(t.key(), t.value());
    }
    return out;
  }

  private static Filter tag(String key, String value) {
    return Filter.builder().name("tag:" + key).values(value).build();
  }
}
