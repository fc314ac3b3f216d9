package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;

/** The policy's counts with their schema defaults applied (the fields may be null when built in code). */
final class AwsDesired {
  private AwsDesired() {}

  static int interfaces(AwsSettings s) {
    return s.getInterfacesPerNode() == null ? 1 : s.getInterfacesPerNode();
  }

  static int secondaryIps(AwsSettings s) {
    return s.getSecondaryIpsPerInterface() == null ? 0 : s.getSecondaryIpsPerInterface();
  }
}
