package io.eniroute.agent.cli;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The node's own NodeNetworkConfig, read from the API server: what {@code kubectl exec
 * ds/<agent> -- eniroute-agent plan} uses when no {@code -f} is given. Inside the agent pod the
 * client's auto-configuration finds the in-cluster service account and NODE_NAME names the node
 * (the agent's RBAC already lets it read its own config).
 */
public final class NodeConfigSource {
  @Option(names = "--node", paramLabel = "NAME",
      description = "Without -f: plan the NodeNetworkConfig of this node from the API server (default: $NODE_NAME, set in the agent pod).")
  String node;

  private final Supplier<KubernetesClient> clients;
  private final Map<String, String> env;

  NodeConfigSource(Supplier<KubernetesClient> clients, Map<String, String> env) {
    this.clients = clients;
    this.env = env;
  }

  /** The node this source reads, or null when neither --node nor NODE_NAME says. */
  String nodeName() {
    String n = node != null ? node : env.get("NODE_NAME");
    return n == null || n.isBlank() ? null : n.strip();
  }

  NodeNetworkConfigSpec load() {
    String name = nodeName();
    if (name == null) {
      throw new ConfigFile.ConfigException("no config to plan: pass -f FILE, -f - (stdin), or --node NAME to read that node's "
          + "NodeNetworkConfig from the API server (inside the agent pod NODE_NAME is set)");
    }
    NodeNetworkConfig c;
    try (KubernetesClient client = clients.get()) {
      c = client.resources(NodeNetworkConfig.class).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new ConfigFile.ConfigException("cannot read NodeNetworkConfig " + name + " from the API server ("
          + e.getCode() + "): " + e.getMessage().split("\n")[0]);
    }
    if (c == null) {
      throw new ConfigFile.ConfigException("no NodeNetworkConfig named " + name
          + " in the API server: no policy selects this node yet (kubectl get nnp; kubectl get nnc " + name + ")");
    }
    return c.getSpec() == null ? new NodeNetworkConfigSpec() : c.getSpec();
  }
}
