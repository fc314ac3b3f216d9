package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Written by the operator (or by hand, as the standalone agent's config file). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.addresses) || self.addresses.all(a, self.addresses.exists_one(b, b.mac == a.mac))",
    message = "spec.addresses lists a MAC twice; give each interface one entry",
    fieldPath = ".addresses")
public class NodeNetworkConfigSpec {
  @JsonPropertyDescription("The NodeNetworkPolicy this config comes from (empty for a standalone host).")
  private String policy;

  @JsonPropertyDescription("The policy generation this config carries; the agent reports it back once applied.")
  @Min(0)
  private Long policyGeneration;

  @JsonPropertyDescription("present: route as specified; absent: remove everything eniroute put on the node.")
  @Default("present")
  private ConfigState state = ConfigState.PRESENT;

  @JsonPropertyDescription("Which interfaces get their own route table (as in the policy).")
  private InterfaceSelection interfaces = new InterfaceSelection();

  @JsonPropertyDescription("Table and rule numbering, main-table handling and sysctls (as in the policy).")
  private RoutingSettings routing = new RoutingSettings();

  @JsonPropertyDescription("Probes that guard every change on the node (as in the policy).")
  private SafetySettings safety = new SafetySettings();

  @JsonPropertyDescription("Addresses to ensure per interface (by MAC), as allocated in EC2.")
  @Size(max = 32)
  private List<InterfaceAddresses> addresses = new ArrayList<>();

  @JsonPropertyDescription("true (the operator sets it when the policy has spec.aws): only interfaces that "
      + "spec.addresses lists with at least one address are managed, so interfaces eniroute does not own in EC2 "
      + "(the AWS VPC CNI's) are never touched. Default false: every interface the selection matches.")
  private Boolean onlyListedInterfaces;

  public Boolean getOnlyListedInterfaces() { return onlyListedInterfaces; }
  public void setOnlyListedInterfaces(Boolean onlyListedInterfaces) { this.onlyListedInterfaces = onlyListedInterfaces; }

  @JsonPropertyDescription("Copied by the operator from the policy's eniroute.io/retry annotation when it hands the node"
      + " its spec again for a retry: a new value makes the agent try a spec it once rolled back.")
  @Size(max = Api.RETRY_TOKEN_MAX_LENGTH)
  private String retryToken;

  public String getPolicy() { return policy; }
  public void setPolicy(String policy) { this.policy = policy; }
  public Long getPolicyGeneration() { return policyGeneration; }
  public void setPolicyGeneration(Long policyGeneration) { this.policyGeneration = policyGeneration; }
  public ConfigState getState() { return state; }
  public void setState(ConfigState state) { this.state = state; }
  public InterfaceSelection getInterfaces() { return interfaces; }
  public void setInterfaces(InterfaceSelection interfaces) { this.interfaces = interfaces; }
  public RoutingSettings getRouting() { return routing; }
  public void setRouting(RoutingSettings routing) { this.routing = routing; }
  public SafetySettings getSafety() { return safety; }
  public void setSafety(SafetySettings safety) { this.safety = safety; }
  public String getRetryToken() { return retryToken; }
  public void setRetryToken(String retryToken) { this.retryToken = retryToken; }
  public List<InterfaceAddresses> getAddresses() { return addresses; }
  public void setAddresses(List<InterfaceAddresses> addresses) { this.addresses = addresses; }
}
