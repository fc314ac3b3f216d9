package io.eniroute.sandbox;

import io.eniroute.crds.v1alpha1.AwsAdoption;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ElasticIpPool;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sandbox's policy: the README's, sized for the seed's case (2 ENIs x 2 addresses per node). */
public final class Policies {
  public static final String NAME = "multi-eip";
  public static final long TABLE_BASE = 10000;
  public static final int PRIORITY_BASE = 10000;
  public static final String MAX_UNAVAILABLE = "50%";
  /** The tag that selects the sandbox's Elastic IP pool. */
  public static final String POOL_TAG_KEY = "eniroute.io/pool";
  public static final String POOL_TAG_VALUE = "sandbox";
  /** Secondary addresses per node in the seed's case (2 interfaces x 1 secondary): at most one Elastic IP each. */
  public static final int SECONDARIES_PER_NODE = 2;
  /**
   * The tag an admin puts on an ENI attached by hand so that the policy adopts it
   * ({@code spec.aws.adopt.interfaceTags}): without it eniroute owns only what it created.
   */
  public static final String ADOPT_TAG_KEY = "eniroute.io/adopt";
  public static final String ADOPT_TAG_VALUE = "seed";

  private Policies() {}

  /** @param aws when true the operator allocates the second ENI and the secondary IPs in EC2 */
  public static NodeNetworkPolicy seedCase(boolean aws) {
    return seedCase(aws, false);
  }

  /** @param elasticIps also associate an Elastic IP from the sandbox's pool to every secondary address */
  public static NodeNetworkPolicy seedCase(boolean aws, boolean elasticIps) {
    NodeNetworkPolicy p = new NodeNetworkPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(NAME).build());
    p.setSpec(new io.eniroute.crds.v1alpha1.NodeNetworkPolicySpec());
    p.getSpec().setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(Sandbox.NODE_LABEL, "true").build());
    p.getSpec().getRouting().setTableBase(TABLE_BASE);
    p.getSpec().getRouting().setPriorityBase(PRIORITY_BASE);
    p.getSpec().getSafety().setProbeTimeoutSeconds(3); // a bad change is caught and undone within seconds
    p.getSpec().getRollout().setMaxUnavailable(new IntOrString(MAX_UNAVAILABLE));
    p.getSpec().getRollout().setMaxFailures(0);
    p.getSpec().getRollout().setNodeTimeoutSeconds(60);
    if (aws) {
      AwsSettings a = new AwsSettings();
      a.setInterfacesPerNode(2);
      a.setSecondaryIpsPerInterface(1);
      if (elasticIps) {
        ElasticIpPool pool = new ElasticIpPool();
        pool.setPoolTags(new java.util.LinkedHashMap<>(java.util.Map.of(POOL_TAG_KEY, POOL_TAG_VALUE)));
        a.setElasticIps(pool);
      }
      AwsAdoption adopt = new AwsAdoption();
      adopt.setInterfaceTags(new LinkedHashMap<>(Map.of(ADOPT_TAG_KEY, ADOPT_TAG_VALUE)));
      a.setAdopt(adopt);
      p.getSpec().setAws(a);
    }
    return p;
  }

  /** maxUnavailable resolved like the operator does: a percentage of the nodes, rounded up. */
  public static int maxUnavailable(int nodes) {
    int pct = Integer.parseInt(MAX_UNAVAILABLE.replace("%", ""));
    return Math.max(1, (nodes * pct + 99) / 100);
  }

  /** Table the agent gives the interface at this device index (network card 0). */
  public static long table(int deviceIndex) {
    return TABLE_BASE + deviceIndex;
  }
}
