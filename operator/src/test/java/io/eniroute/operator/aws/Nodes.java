package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ElasticIpPool;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.Map;

/** Test nodes and settings. */
final class Nodes {
  private Nodes() {}

  static Node node(String name, String instanceId, String region) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels(Ec2Target.REGION_LABEL, region).endMetadata()
        .withNewSpec().withProviderID("aws:///" + region + "a/" + instanceId).endSpec().build();
  }

  static AwsSettings settings(int interfaces, int secondaryIps, Map<String, String> poolTags) {
    AwsSettings s = new AwsSettings();
    s.setInterfacesPerNode(interfaces);
    s.setSecondaryIpsPerInterface(secondaryIps);
    if (poolTags != null) {
      ElasticIpPool pool = new ElasticIpPool();
      pool.setPoolTags(poolTags);
      s.setElasticIps(pool);
    }
    return s;
  }
}
