package io.eniroute.operator.aws;

import io.eniroute.operator.testing.MutableClock;
import static io.eniroute.operator.aws.Nodes.node;
import static io.eniroute.operator.aws.Nodes.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The allocator against the in-memory EC2 that enforces limits, consistency and throttling. */
class FakeEc2AllocatorTest {
  private static final Map<String, String> POOL = Map.of("eniroute.io/pool", "web");

  private FakeEc2 ec2;
  private String subnet;
  private String instance;
  private Node node;
  private MutableClock clock;
  private Ec2AddressAllocator allocator;

  @BeforeEach
  void setUp() {
    ec2 = new FakeEc2().type("t3.medium", 3, 6).type("t2.micro", 2, 2);
    subnet = ec2.subnet("10.0", 200);
    instance = ec2.instance("t3.medium", subnet);
    node = node("node-a", instance, "us-east-1");
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    allocator = new Ec2AddressAllocator(r -> ec2, new InstanceTypeLimitsSource(),
        new SubnetCooldown(clock, Duration.ofMinutes(5)));
  }

  @Test
  void twoInterfacesTwoSecondaryIpsAndElasticIpsThenNothingTheSecondTime() {
    for (int i = 0; i < 5; i++) {
      ec2.elasticIp(POOL);
    }
    String foreignEip = ec2.elasticIp(Map.of("team", "other"));

    Allocation a = allocator.ensure(node, settings(2, 2, POOL), 1);

    assertThat(a.complete()).as(a.message()).isTrue();
    List<Eni> enis = ec2.interfacesOf(instance);
    assertThat(enis).hasSize(2);
    assertThat(enis).allSatisfy(e -> assertThat(e.secondaryIps()).hasSize(2));
    Eni created = enis.get(1);
    assertThat(created.deviceIndex()).isEqualTo(1);
    assertThat(created.attachment().deleteOnTermination()).isTrue();
    assertThat(created.tags()).containsEntry(Tags.MANAGED, "true").containsEntry(Tags.INSTANCE, instance)
        .containsEntry(Tags.NODE, "node-a");
    assertThat(Tags.recordedSecondaryIps(enis.get(0).tags())).containsExactlyInAnyOrderElementsOf(enis.get(0).secondaryIps());
    // one Elastic IP per secondary address, on that exact interface and address
    List<ElasticIp> associated = ec2.allAddresses().stream().filter(ElasticIp::associated).toList();
    assertThat(associated).hasSize(4).allSatisfy(e -> assertThat(e.tags()).containsEntry("eniroute.io/pool", "web"));
    for (Eni e : enis) {
      for (String ip : e.secondaryIps()) {
        assertThat(associated).anyMatch(x -> x.networkInterfaceId().equals(e.id()) && x.privateIp().equals(ip));
      }
    }
    assertThat(ec2.allAddresses()).filteredOn(e -> e.allocationId().equals(foreignEip)).allMatch(e -> !e.associated());
    // the result: every interface, by device index, MAC lower case, primary address first
    assertThat(a.interfaces()).extracting(InterfaceAddresses::getDeviceIndex).containsExactly(0, 1);
    assertThat(a.interfaces().get(1).getMac()).isEqualTo(created.mac()).matches("[0-9a-f:]{17}");
    assertThat(a.interfaces().get(1).getInterfaceId()).isEqualTo(created.id());
    assertThat(a.interfaces().get(1).getAddresses()).as("addr/len with the subnet's prefix").hasSize(3)
        .startsWith(created.primaryIp() + "/16").allSatisfy(x -> assertThat(x).endsWith("/16"));

    int mutating = ec2.mutatingCalls();
    Allocation again = allocator.ensure(node, settings(2, 2, POOL), 1);
    assertThat(again.complete()).isTrue();
    assertThat(ec2.mutatingCalls()).as("mutating calls on the second ensure").isEqualTo(mutating);
    assertThat(again.interfaces()).usingRecursiveFieldByFieldElementComparator().isEqualTo(a.interfaces());
  }

  @Test
  void tooManyInterfacesForTheTypeIsReportedBeforeAnyMutatingCall() {
    Allocation a = allocator.ensure(node, settings(4, 0, null), 1);

    assertThat(a.complete()).isFalse();
    assertThat(a.reason()).isEqualTo("InstanceTypeLimit");
    assertThat(a.message()).contains("t3.medium", "at most 3 network interfaces", "spec.aws.interfacesPerNode asks for 4");
    assertThat(ec2.mutatingCalls()).isZero();
    assertThat(a.interfaces()).hasSize(1);
  }

  @Test
  void tooManySecondaryIpsForTheTypeIsReportedBeforeAnyMutatingCall() {
    String micro = ec2.instance("t2.micro", subnet);
    Node small = new io.fabric8.kubernetes.api.model.NodeBuilder(node("node-b", micro, "us-east-1"))
        .editMetadata().addToLabels(Ec2Target.INSTANCE_TYPE_LABEL, "t2.micro").endMetadata().build();

    Allocation a = allocator.ensure(small, settings(2, 2, null), 1);

    assertThat(a.reason()).isEqualTo("InstanceTypeLimit");
    assertThat(a.message()).contains("t2.micro", "2 IPv4 addresses per interface", "spec.aws.secondaryIpsPerInterface asks for 2",
        "at most 1");
    assertThat(ec2.mutatingCalls()).isZero();
    assertThat(ec2.calls(Ec2Action.DESCRIBE_INSTANCES)).as("type taken from the node label").isZero();
  }

  @Test
  void fullSubnetCoolsDownAndReportsSubnetFull() {
    ec2.freeAddresses(subnet, 1);

    Allocation a = allocator.ensure(node, settings(1, 2, null), 1);
    assertThat(a.reason()).isEqualTo("SubnetFull");
    assertThat(a.message()).contains(subnet, "spec.aws.subnetId");

    int assigns = ec2.calls(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES);
    Allocation during = allocator.ensure(node, settings(1, 2, null), 1);
    assertThat(during.reason()).isEqualTo("SubnetFull");
    assertThat(ec2.calls(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES)).as("no call while cooling down").isEqualTo(assigns);

    ec2.freeAddresses(subnet, 50);
    clock.advance(Duration.ofMinutes(6));
    assertThat(allocator.ensure(node, settings(1, 2, null), 1).complete()).isTrue();
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).hasSize(2);
  }

  @Test
  void fullSubnetWhenCreatingAnInterface() {
    ec2.freeAddresses(subnet, 0);
    Allocation a = allocator.ensure(node, settings(2, 0, null), 1);
    assertThat(a.reason()).isEqualTo("SubnetFull");
    assertThat(ec2.allInterfaces()).hasSize(1);
  }

  @Test
  void aNewInterfaceThatEc2DoesNotShowYetIsNotCreatedTwice() {
    ec2.invisibleDescribes(2);

    Allocation first = allocator.ensure(node, settings(2, 1, null), 1);
    assertThat(first.complete()).isFalse();
    assertThat(first.reason()).isEqualTo("NotFound");
    assertThat(first.message()).contains("eventual consistency");

    Allocation last = first;
    for (int i = 0; i < 5 && !last.complete(); i++) {
      last = allocator.ensure(node, settings(2, 1, null), 1);
    }
    assertThat(last.complete()).as(last.message()).isTrue();
    assertThat(ec2.allInterfaces()).as("exactly one interface created").hasSize(2);
    assertThat(ec2.interfacesOf(instance)).hasSize(2);
  }

  @Test
  void anAttachedInterfaceThatEc2DoesNotListYetIsNeitherCreatedNorAttachedAgain() {
    ec2.describeLag(2);

    Allocation first = allocator.ensure(node, settings(2, 0, null), 1);
    assertThat(first.reason()).isEqualTo("NotFound");
    int attaches = ec2.calls(Ec2Action.ATTACH_NETWORK_INTERFACE);

    Allocation second = allocator.ensure(node, settings(2, 0, null), 1);

    assertThat(second.complete()).as(second.message()).isTrue();
    assertThat(ec2.allInterfaces()).as("the client token returned the same interface").hasSize(2);
    assertThat(ec2.calls(Ec2Action.ATTACH_NETWORK_INTERFACE)).isEqualTo(attaches);
    assertThat(second.interfaces()).extracting(InterfaceAddresses::getDeviceIndex).containsExactly(0, 1);
  }

  @Test
  void deviceIndexTakenMeanwhileIsRetriedAtTheNextIndexReusingTheSameInterface() {
    ec2.before(Ec2Action.ATTACH_NETWORK_INTERFACE, f -> f.foreignInterface(instance, subnet, 1));

    Allocation first = allocator.ensure(node, settings(2, 0, null), 1);
    assertThat(first.complete()).isFalse();
    assertThat(first.reason()).isEqualTo("Ec2Error");
    assertThat(first.message()).contains("device index");

    Allocation second = allocator.ensure(node, settings(2, 0, null), 1);
    assertThat(second.complete()).as(second.message()).isTrue();
    List<Eni> enis = ec2.interfacesOf(instance);
    assertThat(enis).extracting(Eni::deviceIndex).containsExactly(0, 1, 2);
    assertThat(enis.get(1).createdByEnirouteFor(instance)).as("the interface that took index 1 is foreign").isFalse();
    assertThat(enis.get(2).createdByEnirouteFor(instance)).isTrue();
    assertThat(ec2.allInterfaces()).as("the orphan was reused, not a second one created").hasSize(3);
    assertThat(second.interfaces()).as("the foreign interface is not routed").extracting(InterfaceAddresses::getDeviceIndex)
        .containsExactly(0, 2);
  }

  @Test
  void foreignInterfacesTakingTheInstancesSlotsAreNamedInTheLimitMessage() {
    String cni = ec2.foreignInterface(instance, subnet, 1);

    Allocation a = allocator.ensure(node, settings(3, 0, null), 1);

    assertThat(a.complete()).isFalse();
    assertThat(a.reason()).isEqualTo("InstanceTypeLimit");
    assertThat(a.message()).contains(cni, "not eniroute's", "spec.aws.interfacesPerNode");
  }

  @Test
  void attachmentLimitExceededIsReported() {
    ec2.failNext(Ec2Action.ATTACH_NETWORK_INTERFACE, "AttachmentLimitExceeded");
    Allocation a = allocator.ensure(node, settings(2, 0, null), 1);
    assertThat(a.reason()).isEqualTo("AttachmentLimit");
    assertThat(a.message()).contains("spec.aws.interfacesPerNode");
  }

  @Test
  void privateIpLimitFilledBySomeoneElsesAddressesIsReportedNotCountedAsEniroutes() {
    String primary = ec2.interfacesOf(instance).get(0).id();
    ec2.before(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, f -> {
      f.assignByHand(primary, 5);
      throw new Ec2CallException("AssignPrivateIpAddresses", "PrivateIpAddressLimitExceeded", "full");
    });
    Allocation a = allocator.ensure(node, settings(1, 2, null), 1);
    assertThat(a.complete()).isFalse();
    assertThat(a.reason()).isEqualTo("IpAddressLimit");
    assertThat(a.interfaces()).singleElement().satisfies(i -> assertThat(i.getAddresses()).as("only the primary address")
        .containsExactly(ec2.interfacesOf(instance).get(0).primaryIp() + "/16"));
    assertThat(Tags.recordedSecondaryIps(ec2.interfacesOf(instance).get(0).tags())).as("not eniroute's").isEmpty();
  }

  @Test
  void privateIpLimitThatStillHoldsIsReported() {
    ec2.failNext(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, "PrivateIpAddressLimitExceeded");
    Allocation a = allocator.ensure(node, settings(1, 2, null), 1);
    assertThat(a.reason()).isEqualTo("IpAddressLimit");
    assertThat(a.message()).contains("spec.aws.secondaryIpsPerInterface");
  }

  @Test
  void idempotentParameterMismatchIsReportedNotThrown() {
    Eni primary = ec2.interfacesOf(instance).get(0);
    ec2.usedToken(InterfaceEnsurer.clientToken(instance, 1, subnet, primary.securityGroupIds(), "node-a"), subnet);
    Allocation a = allocator.ensure(node, settings(2, 0, null), 1);
    assertThat(a.reason()).isEqualTo("IdempotentParameterMismatch");
    assertThat(ec2.allInterfaces()).hasSize(1);
  }

  @Test
  void ec2ThrottlingIsReportedNotThrown() {
    FakeEc2 tight = FakeEc2.throttledUniformly(2, 0.001).type("t3.medium", 3, 6);
    String s = tight.subnet("10.1", 50);
    String i = tight.instance("t3.medium", s);
    Ec2AddressAllocator throttled = new Ec2AddressAllocator(r -> tight, Clock.systemUTC());
    Node n = node("node-t", i, "us-east-1");

    Allocation a = throttled.ensure(n, settings(1, 1, null), 1);
    Allocation b = throttled.ensure(n, settings(1, 1, null), 1);

    assertThat(a.complete()).as(a.message()).isTrue();
    assertThat(b.reason()).isEqualTo("Throttled");
    assertThat(b.message()).contains("RequestLimitExceeded", "DescribeNetworkInterfaces");
  }

  @Test
  void clientLimiterWaitingTooLongReportsThrottledWithoutCallingEc2() {
    Ec2RateLimiter limiter = new Ec2RateLimiter(f -> new BucketSpec(2, 0.01), Duration.ofMillis(50), System::nanoTime);
    Ec2AddressAllocator limited = new Ec2AddressAllocator(r -> ec2.pacedBy(limiter), Clock.systemUTC());

    assertThat(limited.ensure(node, settings(1, 1, null), 1).complete()).isTrue();
    int describes = ec2.calls(Ec2Action.DESCRIBE_NETWORK_INTERFACES);
    Allocation b = limited.ensure(node, settings(1, 1, null), 1);

    assertThat(b.reason()).isEqualTo("Throttled");
    assertThat(b.message()).contains("client-side limiter");
    assertThat(ec2.calls(Ec2Action.DESCRIBE_NETWORK_INTERFACES)).isEqualTo(describes);
    assertThat(ec2.throttledCalls()).isZero();
  }

  @Test
  void exhaustedElasticIpPoolIsReportedAndRacesMoveToTheNextAddress() {
    String first = ec2.elasticIp(POOL);
    ec2.elasticIp(POOL);
    ec2.before(Ec2Action.ASSOCIATE_ADDRESS, f -> f.associateByHand(first, "eni-elsewhere", "10.9.9.9"));
    // Make the race hit whichever address comes first for this instance.
    ec2.before(Ec2Action.ASSOCIATE_ADDRESS, f -> { });

    Allocation a = allocator.ensure(node, settings(1, 2, POOL), 1);

    assertThat(a.reason()).isEqualTo("ElasticIpPoolExhausted");
    assertThat(a.message()).contains("eniroute.io/pool", "spec.aws.elasticIps.poolTags");
    assertThat(ec2.allAddresses()).filteredOn(ElasticIp::associated).hasSize(2);
    assertThat(ec2.allAddresses()).filteredOn(e -> instance.equals(e.tags().get(Tags.ASSOCIATED_INSTANCE))).hasSize(1);
  }

  @Test
  void releaseUndoesOnlyWhatEnirouteAddedInReverseOrder() {
    for (int i = 0; i < 4; i++) {
      ec2.elasticIp(POOL);
    }
    Eni primaryBefore = ec2.interfacesOf(instance).get(0);
    String handIp = ec2.assignByHand(primaryBefore.id(), 1).get(0);
    String foreignEip = ec2.elasticIp(Map.of("team", "other"));
    ec2.associateByHand(foreignEip, primaryBefore.id(), handIp);
    assertThat(allocator.ensure(node, settings(2, 2, POOL), 1).complete()).isTrue();
    String foreignEni = ec2.foreignInterface(instance, subnet, 2);

    Allocation released = allocator.release(node, settings(2, 2, POOL));

    assertThat(released.complete()).as(released.message()).isTrue();
    List<Eni> after = ec2.interfacesOf(instance);
    assertThat(after).extracting(Eni::id).containsExactly(primaryBefore.id(), foreignEni);
    assertThat(after.get(0).secondaryIps()).containsExactly(handIp);
    assertThat(Tags.recordKeys(after.get(0).tags())).isEmpty();
    assertThat(ec2.allInterfaces()).hasSize(2);
    assertThat(ec2.allAddresses()).filteredOn(ElasticIp::associated).extracting(ElasticIp::allocationId)
        .containsExactly(foreignEip);
    assertThat(ec2.allAddresses()).allSatisfy(e -> assertThat(e.tags()).doesNotContainKeys(Tags.ASSOCIATED_INSTANCE, Tags.ASSOCIATED_ADDRESS));
    assertThat(released.interfaces()).as("the foreign interface and the hand-added address are not eniroute's")
        .singleElement().satisfies(i -> {
          assertThat(i.getInterfaceId()).isEqualTo(primaryBefore.id());
          assertThat(i.getAddresses()).containsExactly(primaryBefore.primaryIp() + "/16");
        });

    int mutating = ec2.mutatingCalls();
    assertThat(allocator.release(node, settings(2, 2, POOL)).complete()).isTrue();
    assertThat(ec2.mutatingCalls()).as("a second release changes nothing").isEqualTo(mutating);
  }

  @Test
  void loweringTheCountsRetiresOnlyEniroutesSurplusNewestFirstAndReleasesItOnceApplied() {
    for (int i = 0; i < 8; i++) {
      ec2.elasticIp(POOL);
    }
    String primary = ec2.interfacesOf(instance).get(0).id();
    String handIp = ec2.assignByHand(primary, 1).get(0);
    assertThat(allocator.ensure(node, settings(3, 2, POOL), 1).complete()).isTrue();
    String foreign = ec2.foreignInterface(instance, subnet, 5);
    List<Eni> before = ec2.interfacesOf(instance);
    assertThat(before).hasSize(4);
    assertThat(before.get(0).secondaryIps()).as("the hand-added address does not count toward eniroute's 2").hasSize(3);
    String keptCreated = before.get(1).id();
    String surplusCreated = before.get(2).id();
    String keptOnPrimary = before.get(0).secondaryIps().get(1);
    String surplusOnPrimary = before.get(0).secondaryIps().get(2);
    int associatedBefore = (int) ec2.allAddresses().stream().filter(ElasticIp::associated).count();

    Allocation lowered = allocator.ensure(node, settings(2, 1, POOL), 2);

    assertThat(lowered.complete()).as(lowered.message()).isTrue();
    assertThat(lowered.retiring()).hasValue(2);
    assertThat(lowered.interfaces()).as("the new spec lists neither the surplus interface nor the surplus address")
        .extracting(InterfaceAddresses::getInterfaceId).containsExactly(primary, keptCreated);
    assertThat(lowered.interfaces().get(0).getAddresses()).noneMatch(a -> a.startsWith(surplusOnPrimary + "/"));
    assertThat(ec2.interfacesOf(instance)).as("EC2 keeps everything while the agent may still route it")
        .extracting(Eni::id).containsExactly(primary, keptCreated, surplusCreated, foreign);
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).contains(surplusOnPrimary);
    assertThat(ec2.allAddresses().stream().filter(ElasticIp::associated).count()).isEqualTo(associatedBefore);
    int mutating = ec2.mutatingCalls();
    assertThat(allocator.ensure(node, settings(2, 1, POOL), 2).retiring()).hasValue(2);
    assertThat(ec2.mutatingCalls()).as("ensuring the same generation again marks nothing twice").isEqualTo(mutating);
    assertThat(allocator.releaseRetired(node, settings(2, 1, POOL), 1).complete()).isTrue();
    assertThat(ec2.mutatingCalls()).as("the agent still on generation 1 keeps everything").isEqualTo(mutating);

    Allocation released = allocator.releaseRetired(node, settings(2, 1, POOL), 2);

    assertThat(released.complete()).as(released.message()).isTrue();
    assertThat(released.retiring()).isEmpty();
    List<Eni> after = ec2.interfacesOf(instance);
    assertThat(after).extracting(Eni::id).containsExactly(primary, keptCreated, foreign);
    assertThat(after.get(0).secondaryIps()).as("the hand-added address stays, eniroute's newest goes")
        .containsExactly(handIp, keptOnPrimary);
    assertThat(Tags.recordedSecondaryIps(after.get(0).tags())).containsExactly(keptOnPrimary);
    assertThat(Tags.retiringKeys(after.get(0).tags())).isEmpty();
    assertThat(after.get(1).secondaryIps()).hasSize(1);
    assertThat(ec2.allInterfaces()).as("the surplus interface is deleted").hasSize(3);
    List<ElasticIp> associated = ec2.allAddresses().stream().filter(ElasticIp::associated).toList();
    assertThat(associated).extracting(e -> e.networkInterfaceId() + "/" + e.privateIp())
        .containsExactlyInAnyOrder(primary + "/" + keptOnPrimary, keptCreated + "/" + after.get(1).secondaryIps().get(0));

    mutating = ec2.mutatingCalls();
    assertThat(allocator.ensure(node, settings(2, 1, POOL), 2).complete()).isTrue();
    assertThat(allocator.releaseRetired(node, settings(2, 1, POOL), 2).complete()).isTrue();
    assertThat(ec2.mutatingCalls()).isEqualTo(mutating);
  }

  @Test
  void loweringTheCountsKeepsTheSurplusAssignedInEc2UntilTheAgentMovedOff() {
    assertThat(allocator.ensure(node, settings(2, 2, null), 1).complete()).isTrue();
    String dropped = ec2.interfacesOf(instance).get(0).secondaryIps().get(1);

    Allocation lowered = allocator.ensure(node, settings(2, 1, null), 2);

    assertThat(lowered.complete()).as(lowered.message()).isTrue();
    assertThat(lowered.interfaces().get(0).getAddresses()).as("the new spec no longer lists the surplus")
        .noneMatch(a -> a.startsWith(dropped + "/"));
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).as("EC2 still has it: the agent may still use it")
        .contains(dropped);
    assertThat(ec2.interfacesOf(instance)).as("no interface is dropped").hasSize(2);
  }

  @Test
  void aRestartBetweenRetiringAndReleasingReleasesExactlyTheRetiredSurplus() {
    String primary = ec2.interfacesOf(instance).get(0).id();
    String handIp = ec2.assignByHand(primary, 1).get(0);
    assertThat(allocator.ensure(node, settings(2, 3, null), 1).complete()).isTrue();
    List<String> before = ec2.interfacesOf(instance).get(0).secondaryIps();
    assertThat(allocator.ensure(node, settings(2, 1, null), 2).complete()).isTrue();

    Ec2AddressAllocator restarted = new Ec2AddressAllocator(r -> ec2, new InstanceTypeLimitsSource(),
        new SubnetCooldown(clock, Duration.ofMinutes(5)));
    Allocation released = restarted.releaseRetired(node, settings(2, 1, null), 2);

    assertThat(released.complete()).as(released.message()).isTrue();
    List<Eni> after = ec2.interfacesOf(instance);
    assertThat(after.get(0).secondaryIps()).as("eniroute's first address and the hand-added one stay")
        .containsExactly(handIp, before.get(1));
    assertThat(after.get(1).secondaryIps()).hasSize(1);
    assertThat(after).allSatisfy(e -> assertThat(Tags.retiringKeys(e.tags())).isEmpty());
    int mutating = ec2.mutatingCalls();
    assertThat(restarted.releaseRetired(node, settings(2, 1, null), 2).complete()).isTrue();
    assertThat(ec2.mutatingCalls()).as("a second release changes nothing").isEqualTo(mutating);
  }

  @Test
  void aRetiredInterfaceACrashLeftDetachedIsDeletedByTheNextRelease() {
    assertThat(allocator.ensure(node, settings(2, 0, null), 1).complete()).isTrue();
    Eni surplus = ec2.interfacesOf(instance).get(1);
    assertThat(allocator.ensure(node, settings(1, 0, null), 2).retiring()).hasValue(2);
    ec2.detachInterface(surplus.attachment().id()); // phase 2 detached it, then the operator died

    Allocation released = allocator.releaseRetired(node, settings(1, 0, null), 2);

    assertThat(released.complete()).as(released.message()).isTrue();
    assertThat(ec2.allInterfaces()).extracting(Eni::id).as("found by its tags although no longer attached")
        .doesNotContain(surplus.id()).hasSize(1);
  }

  @Test
  void aRetiredInterfaceTheClientTokenHandsBackWhenTheCountGrowsAgainIsTakenBackNotDeleted() {
    assertThat(allocator.ensure(node, settings(2, 0, null), 1).complete()).isTrue();
    Eni surplus = ec2.interfacesOf(instance).get(1);
    assertThat(allocator.ensure(node, settings(1, 0, null), 2).retiring()).hasValue(2);
    ec2.detachInterface(surplus.attachment().id()); // phase 2 detached it, then the operator died

    Allocation raised = allocator.ensure(node, settings(2, 0, null), 3);

    assertThat(raised.complete()).as(raised.message()).isTrue();
    assertThat(raised.retiring()).isEmpty();
    assertThat(raised.interfaces()).extracting(InterfaceAddresses::getInterfaceId).as("the same token, the same interface")
        .contains(surplus.id());
    assertThat(ec2.interfacesOf(instance).get(1).tags()).doesNotContainKey(Tags.RETIRING);
    assertThat(allocator.releaseRetired(node, settings(2, 0, null), 3).complete()).isTrue();
    assertThat(ec2.interfacesOf(instance)).extracting(Eni::id).as("wanted again: not released").contains(surplus.id());
  }

  @Test
  void surplusRetiredAtALaterGenerationStaysWhenAnEarlierOneIsReleased() {
    assertThat(allocator.ensure(node, settings(1, 3, null), 1).complete()).isTrue();
    List<String> ips = ec2.interfacesOf(instance).get(0).secondaryIps();
    assertThat(allocator.ensure(node, settings(1, 2, null), 2).retiring()).hasValue(2);
    assertThat(allocator.ensure(node, settings(1, 1, null), 3).retiring()).hasValue(3);

    Allocation upTo2 = allocator.releaseRetired(node, settings(1, 1, null), 2);

    assertThat(upTo2.retiring()).hasValue(3);
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).containsExactly(ips.get(0), ips.get(1));
    assertThat(allocator.releaseRetired(node, settings(1, 1, null), 3).retiring()).isEmpty();
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).containsExactly(ips.get(0));
  }

  @Test
  void raisingTheCountsWhileSurplusRetiresAddsNewAddressesAndStillReleasesTheRetired() {
    assertThat(allocator.ensure(node, settings(1, 2, null), 1).complete()).isTrue();
    String retired = ec2.interfacesOf(instance).get(0).secondaryIps().get(1);
    assertThat(allocator.ensure(node, settings(1, 1, null), 2).complete()).isTrue();

    Allocation raised = allocator.ensure(node, settings(1, 2, null), 3);

    assertThat(raised.interfaces().get(0).getAddresses()).as("primary + 2 secondaries, none of them the retired one")
        .hasSize(3).noneMatch(a -> a.startsWith(retired + "/"));
    assertThat(allocator.releaseRetired(node, settings(1, 2, null), 3).complete()).isTrue();
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).hasSize(2).doesNotContain(retired);
  }

  @Test
  void releasingTheNodeAlsoReleasesItsRetiringSurplusAndItsMarks() {
    String primary = ec2.interfacesOf(instance).get(0).id();
    assertThat(allocator.ensure(node, settings(3, 2, null), 1).complete()).isTrue();
    assertThat(allocator.ensure(node, settings(2, 1, null), 2).retiring()).hasValue(2);

    Allocation released = allocator.release(node, settings(2, 1, null));

    assertThat(released.complete()).as(released.message()).isTrue();
    assertThat(ec2.interfacesOf(instance)).extracting(Eni::id).containsExactly(primary);
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).isEmpty();
    assertThat(ec2.interfacesOf(instance).get(0).tags()).doesNotContainKeys(Tags.SECONDARY_IPS, Tags.RETIRING_IPS);
    assertThat(ec2.allInterfaces()).hasSize(1);
  }

  @Test
  void aNodeThatIsNotAnEc2InstanceNamesTheField() {
    Node bare = new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("kind-1").endMetadata()
        .withNewSpec().withProviderID("kind://docker/kind/kind-1").endSpec().build();
    Allocation a = allocator.ensure(bare, settings(2, 0, null), 1);
    assertThat(a.reason()).isEqualTo("InvalidProviderID");
    assertThat(a.message()).contains("spec.providerID", "kind://docker/kind/kind-1");
    assertThat(allocator.release(bare, settings(2, 0, null)).reason()).isEqualTo("InvalidProviderID");
  }

  @Test
  void aClientThatCannotBeBuiltIsReportedNotThrown() {
    Ec2AddressAllocator broken = new Ec2AddressAllocator(r -> {
      throw new IllegalStateException("Unable to load region from any of the providers in the chain");
    }, Clock.systemUTC());
    Node unlabelled = new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("n").endMetadata()
        .withNewSpec().withProviderID("aws:///us-east-1a/" + instance).endSpec().build();

    Allocation a = broken.ensure(unlabelled, settings(2, 0, null), 1);

    assertThat(a.reason()).isEqualTo("Ec2Error");
    assertThat(a.message()).contains("Unable to load region", "spec.aws.region", "--region");
    assertThat(broken.release(unlabelled, settings(2, 0, null)).reason()).isEqualTo("Ec2Error");
  }

  @Test
  void anInstanceEc2DoesNotKnowIsNotFound() {
    Allocation a = allocator.ensure(node("gone", "i-0000000000000dead", "us-east-1"), settings(2, 0, null), 1);
    assertThat(a.reason()).isEqualTo("NotFound");
    assertThat(a.message()).contains("i-0000000000000dead", "region");
  }

  /** The allocator on {@code ec2} behind a FaultyEc2 that injects {@code fault} at {@code at}. */
  private Ec2AddressAllocator faulty(Ec2Action action, int ordinal, FaultyEc2.Fault fault) {
    FaultyEc2 f = new FaultyEc2(ec2).inject(new FaultyEc2.Call(action, ordinal), fault, 1);
    return new Ec2AddressAllocator(r -> f, new InstanceTypeLimitsSource(), new SubnetCooldown(clock, Duration.ofMinutes(5)));
  }

  @Test
  void anAttachWhoseResponseWasLostStillEndsWithDeleteOnTermination() {
    Ec2AddressAllocator a = faulty(Ec2Action.ATTACH_NETWORK_INTERFACE, 1, FaultyEc2.Fault.LOST_500);
    assertThat(a.ensure(node, settings(2, 0, null), 1).complete()).isFalse();

    Allocation second = a.ensure(node, settings(2, 0, null), 1);

    assertThat(second.complete()).as(second.message()).isTrue();
    assertThat(ec2.interfacesOf(instance).get(1).attachment().deleteOnTermination())
        .as("an interface that outlives its instance leaks").isTrue();
  }

  @Test
  void aListingThatDoesNotShowTheNewInterfaceYetIsNotReportedComplete() {
    // describes: the instance, orphans, after the interface, after the addresses (this one lags)
    Ec2AddressAllocator a = faulty(Ec2Action.DESCRIBE_NETWORK_INTERFACES, 4, FaultyEc2.Fault.NOT_FOUND);
    Allocation first = a.ensure(node, settings(2, 1, null), 1);
    assertThat(first.complete()).as("complete from a stale listing would hand the node one interface").isFalse();
    assertThat(first.reason()).isEqualTo("NotFound");

    Allocation second = a.ensure(node, settings(2, 1, null), 1);

    assertThat(second.complete()).as(second.message()).isTrue();
    assertThat(second.interfaces()).hasSize(2);
  }

  @Test
  void anInternalErrorIsReportedAsEc2UnavailableThatEnirouteRetries() {
    Allocation a = faulty(Ec2Action.CREATE_TAGS, 1, FaultyEc2.Fault.LOST_500).ensure(node, settings(1, 1, null), 1);
    assertThat(a.reason()).isEqualTo("Ec2Unavailable");
    assertThat(a.message()).contains("CreateTags", "InternalError", "eniroute retries");
  }

  @Test
  void subnetFullNamesTheSubnetAndTheFixEvenWhenEc2sTextDoesNot() {
    Allocation a = faulty(Ec2Action.CREATE_NETWORK_INTERFACE, 1, FaultyEc2.Fault.SUBNET_FULL).ensure(node, settings(2, 0, null), 1);
    assertThat(a.reason()).isEqualTo("SubnetFull");
    assertThat(a.message()).contains(subnet, "spec.aws.subnetId", "eniroute retries");
  }

  @Test
  void addressesAnAssignOnThePrimaryAddedWhoseAnswerWasLostAreRecordedNotAssignedAgainAndReleased() {
    String primary = ec2.interfacesOf(instance).get(0).id();
    List<String> warm = ec2.assignByHand(primary, 1); // a co-tenant's address (the VPC CNI's warm pool)
    Ec2AddressAllocator a = faulty(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, 1, FaultyEc2.Fault.LOST_500);
    assertThat(a.ensure(node, settings(1, 2, null), 1).complete()).isFalse();

    Allocation second = a.ensure(node, settings(1, 2, null), 1);

    assertThat(second.complete()).as(second.message()).isTrue();
    Eni after = ec2.interfacesOf(instance).get(0);
    assertThat(after.secondaryIps()).as("assigned once, not twice").hasSize(3);
    assertThat(Tags.recordedSecondaryIps(after.tags())).hasSize(2).doesNotContainAnyElementsOf(warm);
    assertThat(Tags.assigningKeys(after.tags())).isEmpty();

    assertThat(a.release(node, settings(1, 2, null)).complete()).isTrue();
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).as("only the co-tenant's address is left").isEqualTo(warm);
  }

  @Test
  void throttledTagWritesAroundAnAssignOnThePrimaryDoNotLoseTheAddresses() {
    FaultyEc2 f = new FaultyEc2(ec2).inject(new FaultyEc2.Call(Ec2Action.CREATE_TAGS, 1), FaultyEc2.Fault.THROTTLED, 2);
    Ec2AddressAllocator a = new Ec2AddressAllocator(r -> f, new InstanceTypeLimitsSource(),
        new SubnetCooldown(clock, Duration.ofMinutes(5)));
    Allocation first = a.ensure(node, settings(1, 1, null), 1);
    assertThat(first.reason()).isEqualTo("Throttled");

    Allocation last = first;
    for (int i = 0; i < 3 && !last.complete(); i++) {
      last = a.ensure(node, settings(1, 1, null), 1);
    }

    assertThat(last.complete()).as(last.message()).isTrue();

    Eni after = ec2.interfacesOf(instance).get(0);
    assertThat(after.secondaryIps()).as("assigned once, not twice").hasSize(1);
    assertThat(Tags.recordedSecondaryIps(after.tags())).containsExactlyElementsOf(after.secondaryIps());
  }

  @Test
  void addressesACoTenantAssignedBesideALostAssignAreNeverClaimed() {
    String primary = ec2.interfacesOf(instance).get(0).id();
    FaultyEc2 f = new FaultyEc2(ec2).inject(new FaultyEc2.Call(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, 1),
        FaultyEc2.Fault.LOST_TIMEOUT, 1);
    Ec2AddressAllocator a = new Ec2AddressAllocator(r -> f, new InstanceTypeLimitsSource(),
        new SubnetCooldown(clock, Duration.ofMinutes(5)));
    assertThat(a.ensure(node, settings(1, 1, null), 1).complete()).isFalse();
    List<String> cni = ec2.assignByHand(primary, 1); // the VPC CNI, before eniroute's next pass

    a.ensure(node, settings(1, 1, null), 1);

    assertThat(Tags.recordedSecondaryIps(ec2.interfacesOf(instance).get(0).tags())).doesNotContainAnyElementsOf(cni);
  }

  @Test
  void aReleaseRightAfterTheAllocationWhoseListingLagsStillDeletesTheInterface() {
    // describes: ensure reads the instance, the orphans, the instance again; release reads the instance, then by tag (lags)
    Ec2AddressAllocator a = faulty(Ec2Action.DESCRIBE_NETWORK_INTERFACES, 5, FaultyEc2.Fault.NOT_FOUND);
    assertThat(a.ensure(node, settings(2, 0, null), 1).complete()).isTrue();

    Allocation first = a.release(node, settings(2, 0, null));
    assertThat(first.complete()).as("a listing that leaves out the interface just detached proves nothing").isFalse();
    assertThat(first.reason()).isEqualTo("Detaching");
    Allocation second = a.release(node, settings(2, 0, null));

    assertThat(second.complete()).as(second.message()).isTrue();
    assertThat(ec2.allInterfaces()).as("the interface eniroute created is deleted").hasSize(1);
  }
}
