package io.eniroute.agent.drift;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records calls; reports one managed interface eth1 (table 10001, priority 10001, 10.0.0.0/24). */
final class FakeRouting implements NodeRouting {
  final List<NodeNetworkConfigSpec> reconciled = new CopyOnWriteArrayList<>();
  final AtomicInteger reverts = new AtomicInteger();
  volatile RuntimeException failNext;

  @Override
  public ApplyReport reconcile(NodeNetworkConfigSpec spec) {
    RuntimeException f = failNext;
    if (f != null) {
      failNext = null;
      throw f;
    }
    reconciled.add(spec);
    return report(ApplyReport.Outcome.NO_CHANGE);
  }

  @Override
  public ApplyReport revert() {
    reverts.incrementAndGet();
    return report(ApplyReport.Outcome.REVERTED);
  }

  @Override
  public ApplyReport status() {
    return report(ApplyReport.Outcome.OBSERVED);
  }

  static ApplyReport report(ApplyReport.Outcome outcome) {
    InterfaceStatus eth1 = new InterfaceStatus();
    eth1.setName("eth1");
    eth1.setManaged(true);
    eth1.setAddresses(List.of("10.0.0.130"));
    eth1.setSubnet("10.0.0.0/24");
    eth1.setTable(10001L);
    eth1.setPriority(10001);
    InterfaceStatus docker = new InterfaceStatus();
    docker.setName("docker0");
    docker.setManaged(false);
    docker.setAddresses(List.of("172.17.0.1"));
    return new ApplyReport(outcome, 0, 1, List.of(eth1, docker), 1, 2, List.of(), "Test", "");
  }
}
