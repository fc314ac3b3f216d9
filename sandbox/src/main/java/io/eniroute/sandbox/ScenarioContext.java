package io.eniroute.sandbox;

import io.eniroute.lab.KernelDump;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the scenario's steps share: the sandbox, its clients, and what step 1 recorded. */
public final class ScenarioContext {
  private final Sandbox sandbox;
  private final Traffic traffic;
  private final Duration rolloutTimeout;
  private final Map<String, KernelDump> originalKernel = new LinkedHashMap<>();
  private List<Ec2Interface> originalEc2 = List.of();
  private CoTenantWatch coTenant;

  public ScenarioContext(Sandbox sandbox, Duration rolloutTimeout) {
    this.sandbox = sandbox;
    this.traffic = new Traffic(sandbox.vpc());
    this.rolloutTimeout = rolloutTimeout;
  }

  public Sandbox sandbox() { return sandbox; }
  public KubernetesClient client() { return sandbox.api().client(); }
  public Traffic traffic() { return traffic; }
  public Narrator narrator() { return sandbox.narrator(); }
  public Duration rolloutTimeout() { return rolloutTimeout; }
  public Map<String, KernelDump> originalKernel() { return originalKernel; }
  public List<Ec2Interface> originalEc2() { return originalEc2; }
  public void originalEc2(List<Ec2Interface> e) { originalEc2 = List.copyOf(e); }
  /** The VPC CNI co-tenant and its watch, when step 0 set one up (moto, 2+ nodes). */
  public Optional<CoTenantWatch> coTenant() { return Optional.ofNullable(coTenant); }
  public void coTenant(CoTenantWatch w) { coTenant = w; }

  /** The pod addresses of the co-tenant on {@code n} (none on other nodes): not eniroute's. */
  public List<String> podIpsOf(SandboxNode n) {
    return coTenant().filter(w -> w.node().equals(n.name())).map(CoTenantWatch::podIps).orElse(List.of());
  }

  public NodeNetworkPolicy policy() {
    return client().resources(NodeNetworkPolicy.class).withName(Policies.NAME).get();
  }

  public ClusterSnapshot snapshot() {
    return ClusterSnapshot.take(client(), Policies.NAME);
  }

  public ProgressView progress() {
    return new ProgressView(client(), Policies.NAME, narrator()).start();
  }

  /** The node's ENIs as EC2 reports them now, by device index. */
  public List<Ec2Interface> interfacesOf(SandboxNode n) {
    return sandbox.ec2().attachedInterfaces().stream()
        .filter(e -> e.instanceId().equals(n.instance().instanceId())).toList();
  }

  /** Every private address EC2 gave the node. */
  public List<String> addressesOf(SandboxNode n) {
    return interfacesOf(n).stream().flatMap(e -> e.privateIps().stream()).toList();
  }
}
