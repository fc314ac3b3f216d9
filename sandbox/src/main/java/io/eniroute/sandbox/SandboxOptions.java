package io.eniroute.sandbox;

import java.nio.file.Path;

/**
 * @param nodes how many nodes (EC2 instances, Node objects, namespaces, agents)
 * @param ec2 moto, fake or auto (moto when moto_server is on PATH)
 * @param repoRoot the checkout (crds/*.yml and the built jars are found from it)
 * @param runDir where logs and agent state go
 * @param mockApi use the fabric8 mock server even when a real kube-apiserver can be had
 */
public record SandboxOptions(int nodes, Ec2Mode ec2, Path repoRoot, Path runDir, boolean mockApi) {
  public enum Ec2Mode { MOTO, FAKE, AUTO }

  public SandboxOptions {
    if (nodes < 1 || nodes > 50) {
      throw new IllegalArgumentException("--nodes must be between 1 and 50 (got " + nodes + ")");
    }
  }

  public boolean useMoto() {
    return switch (ec2) {
      case MOTO -> true;
      case FAKE -> false;
      case AUTO -> MotoEc2.available();
    };
  }
}
