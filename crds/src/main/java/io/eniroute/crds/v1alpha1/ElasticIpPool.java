package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** Elastic IPs are taken from allocations that carry all of these tags (never allocated anew). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElasticIpPool {
  @JsonPropertyDescription("Tags an Elastic IP allocation must carry to be used, e.g. {eniroute.io/pool: web}.")
  @Required
  @ValidationRule(value = "size(self) > 0", message = "poolTags needs at least one tag, or every Elastic IP of the account would be fair game")
  private Map<String, String> poolTags = new LinkedHashMap<>();

  public Map<String, String> getPoolTags() { return poolTags; }
  public void setPoolTags(Map<String, String> poolTags) { this.poolTags = poolTags; }
}
