package io.eniroute.agent.cluster;

import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.kube.FaultyApiProxy;
import io.eniroute.lab.kube.AuditLog;
import io.eniroute.lab.kube.ChartIdentities;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent tests' API: the suite's real kube-apiserver with eniroute's CRDs and the chart's
 * identities. The agent under test authenticates with a token bound to a Pod on its node, so
 * the chart's RBAC and its own-node ValidatingAdmissionPolicy apply to it; the test drives the
 * config as admin. Closing resets the server and records the agent's audited calls in
 * target/rbac-recorded.txt for the chart's RbacTest.
 */
final class ClusterApi implements AutoCloseable {
  final ControlPlane plane;
  final KubernetesClient client;
  private final ChartIdentities identities;
  private final int auditMark;

  ClusterApi(ControlPlane plane) {
    this.plane = plane;
    this.client = plane.adminClient();
    this.identities = EnirouteInstall.onto(plane);
    this.auditMark = plane.audit().map(a -> a.calls().size()).orElse(0);
  }

  static NodeNetworkConfig config(String node, long policyGeneration, String... eth1Addresses) {
    NodeNetworkConfig c = new NodeNetworkConfig();
    c.setMetadata(new ObjectMetaBuilder().withName(node).build());
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    s.setPolicy("web");
    s.setPolicyGeneration(policyGeneration);
    s.setState(ConfigState.PRESENT);
    s.setAddresses(List.of(new InterfaceAddresses("02:aa:00:00:00:02", List.of(eth1Addresses))));
    c.setSpec(s);
    return c;
  }

  /** A client for the agent of {@code node}, exactly as its pod-bound token authenticates it. */
  KubernetesClient agentClient(String node) {
    return identities.agentClient(node);
  }

  /** The agent's client through the fault-injecting {@code front} (HTTP watches), fabric8's retries off. */
  KubernetesClient agentClientVia(String node, FaultyApiProxy front) {
    var config = front.configFor(identities.agentConfig(node));
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The agent's client through a TCP proxy at {@code url} (what TcpProxy cuts), fabric8's retries off. */
  KubernetesClient agentClientVia(String node, String url) {
    var config = identities.agentConfig(node);
    config.setMasterUrl(url);
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** An identity the chart grants nothing (for a real 403). */
  KubernetesClient strangerClient() {
    return plane.clientAs("stranger", List.of("system:authenticated"), java.util.Map.of());
  }

  NodeNetworkConfig get(String node) {
    return client.resources(NodeNetworkConfig.class).withName(node).get();
  }

  /** The agents' calls since this API was made, as the server audited them. */
  List<AuditLog.Call> agentCalls() {
    return plane.audit().map(a -> {
      List<AuditLog.Call> all = a.calls();
      return all.subList(Math.min(auditMark, all.size()), all.size()).stream()
          .filter(c -> c.user().equals(ChartIdentities.agentUser())).toList();
    }).orElse(List.of());
  }

  @Override
  public void close() {
    try {
      recordAgentCalls();
      EnirouteInstall.reset(client);
    } finally {
      client.close();
    }
  }

  private void recordAgentCalls() {
    AuditLog.appendPermissions("agent", agentCalls(), Path.of("target", "rbac-recorded.txt"));
  }

}
