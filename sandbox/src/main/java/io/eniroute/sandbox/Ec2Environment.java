package io.eniroute.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * The sandbox's EC2: a VPC 10.0.0.0/16 with the subnet 10.0.0.0/24 (the lab's subnet, gateway
 * 10.0.0.1), and one instance with one ENI per node.
 */
public interface Ec2Environment extends AutoCloseable {
  String REGION = "us-east-1";
  String ZONE = "us-east-1a";
  String INSTANCE_TYPE = "t3.medium";

  /** Shown in the output so nobody mistakes the fake for moto. */
  String label();

  /** EC2 endpoint for the operator's {@code --ec2-endpoint}; empty when the operator cannot reach it. */
  Optional<String> endpoint();

  String subnetId();

  /** Launches one instance per node name, in order. */
  List<Ec2Instance> launch(List<String> nodes);

  /** Every ENI attached to an instance, by instance then device index. */
  List<Ec2Interface> attachedInterfaces();

  /**
   * What an admin does by hand in the console (the seed's author): create an ENI in the subnet
   * with {@code secondaryIps} secondary addresses and attach it at the next free device index,
   * tagged {@link Policies#ADOPT_TAG_KEY} so that the sandbox's policy adopts it.
   */
  Ec2Interface attachByHand(String instanceId, int secondaryIps);

  /**
   * Allocates {@code count} Elastic IPs tagged {@code tagKey=tagValue}: the pool a policy's
   * {@code aws.elasticIps.poolTags} selects. Returns false when this EC2 has no Elastic IPs.
   */
  boolean allocateElasticIpPool(int count, String tagKey, String tagValue);

  /** Associated Elastic IPs per instance id (only instances with at least one). */
  java.util.Map<String, Integer> elasticIpsByInstance();

  /** Adds secondary private addresses to an ENI (the fake's stand-in for the operator's EC2 work). */
  void assignSecondary(String eniId, int count);

  @Override
  void close();
}
