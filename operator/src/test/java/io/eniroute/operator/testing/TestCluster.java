package io.eniroute.operator.testing;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicySpec;
import io.eniroute.lab.kube.AuditLog;
import io.eniroute.lab.kube.ChartIdentities;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operator tests' cluster: the suite's real kube-apiserver with eniroute's CRDs and the
 * chart's ServiceAccounts, RBAC and admission policy installed. The operator under test runs as
 * its ServiceAccount ({@link #operatorClient()}), so every call it makes is authorized by the
 * chart's RBAC; simulated agents and test drivers use admin clients.
 *
 * <p>Closing one leaves the server as the next test expects it ({@link EnirouteInstall#reset}),
 * and appends the operator's calls, as the
 * server audited them, to target/rbac-recorded.txt for the chart's RbacTest.
 */
public final class TestCluster implements AutoCloseable {
  private static final Path RECORDED_CALLS = Path.of("target", "rbac-recorded.txt");
  private static final String OPERATOR_USER = "system:serviceaccount:" + ChartIdentities.NAMESPACE + ":" + ChartIdentities.OPERATOR_ACCOUNT;

  private final ControlPlane plane;
  private final boolean ownsPlane;
  private final KubernetesClient client;
  private final ChartIdentities identities;
  private final int auditMark;

  /** A cluster on the suite's control plane (see {@code RealApiServer}). */
  public TestCluster(ControlPlane plane) {
    this(plane, false);
  }

  private TestCluster(ControlPlane plane, boolean ownsPlane) {
    this.plane = plane;
    this.ownsPlane = ownsPlane;
    this.client = plane.adminClient();
    this.identities = EnirouteInstall.onto(plane);
    this.auditMark = plane.audit().map(a -> a.calls().size()).orElse(0);
  }

  /** A cluster with a control plane of its own (the benchmark), stopped on close. */
  public static TestCluster startOwn(boolean audited) {
    return new TestCluster(ControlPlane.start(Duration.ofMinutes(3), List.of(), audited), true);
  }

  public ControlPlane plane() {
    return plane;
  }

  public KubernetesClient client() {
    return client;
  }

  /** A fresh admin client (a simulated agent or a test driver of its own). */
  public KubernetesClient newClient() {
    return plane.adminClient();
  }

  /** A client for an operator under test: the operator's ServiceAccount token, the chart's RBAC. */
  public KubernetesClient operatorClient() {
    return identities.operatorClient();
  }

  /** The same identity with a user agent of its own, to tell two replicas apart in the audit log. */
  public KubernetesClient operatorClient(String userAgent) {
    var config = identities.operatorConfig();
    config.setUserAgent(userAgent);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public ChartIdentities identities() {
    return identities;
  }

  /** The operator's calls since this cluster was made, as the server audited them. */
  public List<AuditLog.Call> operatorCalls() {
    return plane.audit().map(a -> {
      List<AuditLog.Call> all = a.calls();
      return all.subList(Math.min(auditMark, all.size()), all.size()).stream().filter(c -> c.user().equals(OPERATOR_USER)).toList();
    }).orElse(List.of());
  }

  public String url() {
    return plane.url();
  }

  /** The namespace the chart grants the operator its Lease in. */
  public static String releaseNamespace() {
    return ChartIdentities.NAMESPACE;
  }

  public Node createNode(String name, Map<String, String> labels) {
    return client.nodes().resource(new NodeBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build())
        .withNewSpec().withProviderID("aws:///us-east-1a/i-" + name).endSpec()
        .build()).create();
  }

  public static NodeNetworkPolicy policy(String name, Map<String, String> matchLabels, Object maxUnavailable, int maxFailures,
      int nodeTimeoutSeconds) {
    NodeNetworkPolicy p = new NodeNetworkPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NodeNetworkPolicySpec spec = new NodeNetworkPolicySpec();
    spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(matchLabels).build());
    spec.getRollout().setMaxUnavailable(maxUnavailable instanceof Integer i ? new IntOrString(i) : new IntOrString((String) maxUnavailable));
    spec.getRollout().setMaxFailures(maxFailures);
    spec.getRollout().setNodeTimeoutSeconds(nodeTimeoutSeconds);
    p.setSpec(spec);
    return p;
  }

  @Override
  public void close() {
    try {
      recordOperatorCalls();
      reset();
    } finally {
      client.close();
      if (ownsPlane) {
        plane.close();
      }
    }
  }

  private void reset() {
    EnirouteInstall.reset(client);
  }

  /** The operator's audited calls, for the chart's RbacTest. */
  private void recordOperatorCalls() {
    AuditLog.appendPermissions("operator", operatorCalls(), RECORDED_CALLS);
  }

}
