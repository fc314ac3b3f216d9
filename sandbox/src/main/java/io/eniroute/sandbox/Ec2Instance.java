package io.eniroute.sandbox;

/** An EC2 instance backing one sandbox node. */
public record Ec2Instance(String node, String instanceId, String zone) {
  /** spec.providerID as the AWS cloud provider writes it on EKS. */
  public String providerId() {
    return "aws:///" + zone + "/" + instanceId;
  }
}
