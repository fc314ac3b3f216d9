package io.eniroute.operator.aws;

import java.util.Map;

/** An Elastic IP allocation; association fields are null when it is free. */
public record ElasticIp(String allocationId, String publicIp, String associationId, String networkInterfaceId,
    String privateIp, Map<String, String> tags) {

  public ElasticIp {
    associationId = blankToNull(associationId);
    networkInterfaceId = blankToNull(networkInterfaceId);
    privateIp = blankToNull(privateIp);
    tags = Map.copyOf(tags);
  }

  public boolean associated() {
    return associationId != null;
  }

  // moto reports an unassociated address with empty strings instead of absent fields.
  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
