package io.eniroute.agent.cluster;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A NodeRouting that records what it was asked and answers like the engine would: the first
 * reconcile of a spec "applies" (writes), the same spec again is NO_CHANGE; a scripted answer
 * can replace that (rollback, failure).
 */
final class FakeRouting implements NodeRouting {
  final List<NodeNetworkConfigSpec> reconciled = new CopyOnWriteArrayList<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile Function<NodeNetworkConfigSpec, ApplyReport> script;
  private volatile long heldPolicyGeneration;
  private volatile java.util.concurrent.CountDownLatch hold;
  private volatile Long appliedGeneration;

  static InterfaceStatus iface(String name, String mac, int device, String... addrs) {
    InterfaceStatus i = new InterfaceStatus();
    i.setName(name);
    i.setMac(mac);
    i.setDeviceIndex(device);
    i.setAddresses(List.of(addrs));
    i.setSubnet("10.0.0.0/24");
    i.setGateway("10.0.0.1");
    i.setTable(10000L + device);
    i.setManaged(true);
    return i;
  }

  static final List<InterfaceStatus> IFACES = List.of(
      iface("eth0", "02:aa:00:00:00:01", 0, "10.0.0.10"),
      iface("eth1", "02:aa:00:00:00:02", 1, "10.0.0.20", "10.0.0.21"));

  @Override
  public synchronized ApplyReport reconcile(NodeNetworkConfigSpec spec) {
    calls.add("reconcile");
    reconciled.add(spec);
    java.util.concurrent.CountDownLatch h = hold;
    if (h != null && Long.valueOf(heldPolicyGeneration).equals(spec.getPolicyGeneration())) {
      try {
        if (!h.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released the held pass");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (script != null) {
      return script.apply(spec);
    }
    boolean same = spec.getPolicyGeneration() != null && spec.getPolicyGeneration().equals(appliedGeneration);
    appliedGeneration = spec.getPolicyGeneration();
    return same
        ? new ApplyReport(Outcome.NO_CHANGE, 0, 3 + (long) (Math.random() * 5), IFACES, 3, 2, List.of(), "NoChange", "the kernel already matches the config")
        : new ApplyReport(Outcome.APPLIED, 9, 25, IFACES, 3, 2, List.of(), "Applied", "applied 9 change(s) and verified them");
  }

  /**
   * Passes toward this policy generation wait for {@code release} first: a pass that takes as
   * long as the test wants (real probes take seconds).
   */
  void hold(long policyGeneration, java.util.concurrent.CountDownLatch release) {
    heldPolicyGeneration = policyGeneration;
    hold = release;
  }

  @Override
  public synchronized ApplyReport revert() {
    calls.add("revert");
    appliedGeneration = null;
    return new ApplyReport(Outcome.REVERTED, 5, 12, List.of(), 0, 0, List.of(), "Reverted", "removed everything eniroute owned (5 change(s))");
  }

  @Override
  public ApplyReport status() {
    return new ApplyReport(Outcome.OBSERVED, 0, 1, IFACES, 3, 2, List.of(), "Observed", "");
  }

  long count(String call) {
    return calls.stream().filter(call::equals).count();
  }
}
