package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;

/** Compares a policy with an instance type's limits before any mutating call is made. */
final class InstanceTypeLimitCheck {
  private InstanceTypeLimitCheck() {}

  /** Throws InstanceTypeLimit naming the numbers and the policy field when the type cannot do it. */
  static void check(InstanceTypeLimits limits, AwsSettings settings, String node) {
    int interfaces = AwsDesired.interfaces(settings);
    int secondary = AwsDesired.secondaryIps(settings);
    if (interfaces > limits.maxInterfaces()) {
      throw new AllocationPending("InstanceTypeLimit", "node " + node + " is a " + limits.instanceType()
          + ", which takes at most " + limits.maxInterfaces() + " network interfaces over " + limits.networkCards()
          + " network card(s), but spec.aws.interfacesPerNode asks for " + interfaces
          + ": lower spec.aws.interfacesPerNode or select larger instance types; nothing was changed");
    }
    if (secondary > limits.maxSecondaryIpsPerInterface()) {
      throw new AllocationPending("InstanceTypeLimit", "node " + node + " is a " + limits.instanceType()
          + ", which takes at most " + limits.ipv4PerInterface() + " IPv4 addresses per interface (1 primary + "
          + limits.maxSecondaryIpsPerInterface() + " secondary), but spec.aws.secondaryIpsPerInterface asks for "
          + secondary + ": lower spec.aws.secondaryIpsPerInterface to at most " + limits.maxSecondaryIpsPerInterface()
          + " or select larger instance types; nothing was changed");
    }
  }
}
