package io.eniroute.operator.aws;

import io.eniroute.crds.ProviderId;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Optional;

/**
 * The EC2 instance behind a node: instance id from {@code spec.providerID}
 * ({@code aws:///us-east-1a/i-0abc...}), region from the policy, else the node's
 * {@code topology.kubernetes.io/region} label, else empty (the SDK's default chain decides).
 */
public record Ec2Target(String node, String instanceId, Optional<String> region, Optional<String> instanceType) {
  public static final String REGION_LABEL = "topology.kubernetes.io/region";
  public static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";

  /** Reads the node; throws {@link AllocationPending} (InvalidProviderID) when it names no EC2 instance. */
  public static Ec2Target of(Node node, AwsSettings settings) {
    String name = node.getMetadata() == null ? "?" : node.getMetadata().getName();
    String providerId = node.getSpec() == null ? null : node.getSpec().getProviderID();
    Optional<ProviderId> id = ProviderId.parse(providerId);
    if (id.isEmpty()) {
      throw new AllocationPending("InvalidProviderID", "node " + name + " has spec.providerID "
          + (providerId == null ? "unset" : "'" + providerId + "'")
          + ", not an EC2 instance (aws:///<zone>/i-...); spec.aws needs nodes running on EC2 with the AWS cloud provider");
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    Optional<String> region = Optional.ofNullable(settings.getRegion()).filter(r -> !r.isBlank())
        .or(() -> Optional.ofNullable(labels.get(REGION_LABEL)).filter(r -> !r.isBlank()));
    Optional<String> type = Optional.ofNullable(labels.get(INSTANCE_TYPE_LABEL)).filter(t -> !t.isBlank());
    return new Ec2Target(name, id.get().instanceId(), region, type);
  }
}
