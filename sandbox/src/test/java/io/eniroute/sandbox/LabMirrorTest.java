package io.eniroute.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.lab.NetnsRequired;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sandbox's fabric on its own (no operator, no agents): EC2 in moto, the lab mirroring it.
 * What EC2 does must show up in the node namespaces the way it would on a real instance.
 */
@ExtendWith(NetnsRequired.class)
class LabMirrorTest {
  private ProcessSupervisor supervisor;
  private Ec2Environment ec2;
  private LabVpc vpc;
  private LabMirror mirror;
  private final List<String> events = new ArrayList<>();
  private Ec2Instance instance;
  private Path logs;

  @BeforeEach
  void setUp() throws Exception {
    logs = Files.createTempDirectory("sandbox-mirror-test");
    supervisor = new ProcessSupervisor(logs);
    ec2 = MotoEc2.available() ? MotoEc2.start(supervisor) : new InMemoryEc2();
    vpc = LabVpc.create();
    instance = ec2.launch(List.of("node-1")).get(0);
    vpc.addNode("node-1");
    mirror = new LabMirror(ec2, vpc, Map.of(instance.instanceId(), "node-1"), events::add);
    mirror.sync();
  }

  @AfterEach
  void tearDown() {
    if (mirror != null) {
      mirror.close();
    }
    if (vpc != null) {
      vpc.close();
    }
    if (ec2 != null) {
      ec2.close();
    }
    supervisor.close();
    try (var files = Files.walk(logs)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.out.println("could not delete " + logs + ": " + e);
    }
  }

  @Test
  void aBootedNodeHasItsEc2AddressOnEth0AndAnswersTheClient() {
    Ec2Interface eth0 = ec2.attachedInterfaces().get(0);
    String link = vpc.ip("node-1", "link", "show", "eth0");
    assertThat(link).contains(eth0.mac());
    assertThat(vpc.ip("node-1", "route", "show", "default")).contains("via 10.0.0.1 dev eth0");
    assertThat(vpc.clientReaches(eth0.primaryIp())).isTrue();
  }

  @Test
  void aHandAttachedEniAppearsLikeAHotPlugAndReproducesTheSeedFailure() {
    Ec2Interface eth1 = ec2.attachByHand(instance.instanceId(), 1);
    mirror.sync();
    assertThat(vpc.ip("node-1", "link", "show", "eth1")).contains(eth1.mac());
    // DHCP-like: the primary address with its prefix route, the secondary is not configured
    assertThat(vpc.ip("node-1", "-4", "addr", "show", "eth1")).contains(eth1.primaryIp() + "/24")
        .doesNotContain(eth1.privateIps().get(1));
    vpc.ip("node-1", "addr", "add", eth1.privateIps().get(1) + "/24", "dev", "eth1");
    assertThat(vpc.clientReaches(ec2.attachedInterfaces().get(0).primaryIp())).isTrue();
    // replies from eth1's addresses leave by eth0 and the VPC drops them: the field report
    assertThat(vpc.clientReaches(eth1.primaryIp())).isFalse();
    assertThat(vpc.clientReaches(eth1.privateIps().get(1))).isFalse();
    assertThat(events).anyMatch(e -> e.contains("hot-plugged as eth1"));
  }
}
