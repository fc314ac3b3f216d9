package io.eniroute.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sandbox's Kubernetes API: a real kube-apiserver + etcd ({@link RealApi}, the default) or,
 * when those binaries cannot be had, the fabric8 mock server ({@link EmbeddedApi}).
 */
public interface SandboxApi extends AutoCloseable {
  /** One line for the narration: what serves the API and how the components authenticate. */
  String label();

  String url();

  /** An admin client (the scenario's driver). */
  KubernetesClient client();

  /** Creates a Node object as the kubelet and the cloud provider would fill it on EKS. */
  default void createNode(String name, String providerId, String region, String zone, Map<String, String> extraLabels) {
    Map<String, String> labels = new java.util.HashMap<>(extraLabels);
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("topology.kubernetes.io/region", region);
    labels.put("topology.kubernetes.io/zone", zone);
    client().nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec()
        .build()).create();
  }

  /** An admin kubeconfig, for kubectl. */
  Path writeKubeconfig(Path file);

  /** The kubeconfig the operator runs with. */
  Path operatorKubeconfig(Path file);

  /** The kubeconfig the agent of {@code node} runs with. */
  Path agentKubeconfig(String node, Path file);

  /** False for the mock, which has no server-side apply. */
  boolean serverSideApply();

  @Override
  void close();
}
