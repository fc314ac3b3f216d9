package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Interfaces and addresses eniroute did not create but should treat as its own. Without it eniroute
 * counts, routes and puts Elastic IPs on only what it created or assigned itself (plus the node's
 * primary address), so addresses of the AWS VPC CNI (pod IPs) are never touched.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsAdoption {
  @JsonPropertyDescription("Interfaces carrying all of these tags count as eniroute's: toward interfacesPerNode, "
      + "with all their addresses routed and given Elastic IPs. eniroute never detaches or deletes them. "
      + "Never use tags the VPC CNI sets (node.k8s.amazonaws.com/*).")
  private Map<String, String> interfaceTags = new LinkedHashMap<>();

  @JsonPropertyDescription("true: every secondary address already on the primary interface counts as eniroute's. "
      + "Only for nodes WITHOUT the AWS VPC CNI, whose warm pool lives there. Default false.")
  @Default("false")
  private Boolean primarySecondaryIps = false;

  public Map<String, String> getInterfaceTags() { return interfaceTags; }
  public void setInterfaceTags(Map<String, String> interfaceTags) { this.interfaceTags = interfaceTags; }
  public Boolean getPrimarySecondaryIps() { return primarySecondaryIps; }
  public void setPrimarySecondaryIps(Boolean primarySecondaryIps) { this.primarySecondaryIps = primarySecondaryIps; }
}
