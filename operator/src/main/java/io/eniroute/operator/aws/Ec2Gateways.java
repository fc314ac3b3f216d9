package io.eniroute.operator.aws;

import java.util.Optional;

/** The gateway for a region (empty: the SDK's default chain decides). One limiter per region. */
@FunctionalInterface
public interface Ec2Gateways {
  Ec2Gateway forRegion(Optional<String> region);
}
