package io.eniroute.operator.aws;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * What the AWS VPC CNI's ipamd does in EC2 on a node, through the real SDK (moto here), so that the
 * allocator meets the co-tenant it meets on every EKS node. Modelled on aws/amazon-vpc-cni-k8s:
 * pkg/ipamd/ipamd.go (a warm pool of secondary addresses on the primary interface, then an interface
 * of its own when the pool needs more) and pkg/awsutils/awsutils.go (AllocENI: CreateNetworkInterface
 * with description "aws-K8S-&lt;instance&gt;", tags node.k8s.amazonaws.com/instance_id and
 * cluster.k8s.amazonaws.com/name, attached at the first free device index, DeleteOnTermination; then
 * AssignPrivateIpAddresses for its warm IPs).
 */
final class MotoIpamd {
  static final String NODE_TAG = "node.k8s.amazonaws.com/instance_id";
  static final String CLUSTER_TAG = "cluster.k8s.amazonaws.com/name";

  private final Ec2Client ec2;
  private final String cluster;

  MotoIpamd(Ec2Client ec2, String cluster) {
    this.ec2 = ec2;
    this.cluster = cluster;
  }

  /** WARM_IP_TARGET on the primary interface: {@code count} secondary addresses, which become pod IPs. */
  List<String> warmPrimary(String primaryEniId, int count) {
    return assign(primaryEniId, count);
  }

  /** An interface for pods at {@code deviceIndex} with {@code warmIps} secondary addresses; returns its id. */
  String attachPodInterface(String instanceId, String subnetId, int deviceIndex, int warmIps) {
    String eni = ec2.createNetworkInterface(r -> r.subnetId(subnetId).description("aws-K8S-" + instanceId)
            .tagSpecifications(t -> t.resourceType(ResourceType.NETWORK_INTERFACE).tags(
                tag -> tag.key(NODE_TAG).value(instanceId), tag -> tag.key(CLUSTER_TAG).value(cluster))))
        .networkInterface().networkInterfaceId();
    String attachment = ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni).instanceId(instanceId)
        .deviceIndex(deviceIndex)).attachmentId();
    ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni)
        .attachment(a -> a.attachmentId(attachment).deleteOnTermination(true)));
    assign(eni, warmIps);
    return eni;
  }

  private List<String> assign(String eniId, int count) {
    List<String> before = secondaries(eniId);
    ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eniId).secondaryPrivateIpAddressCount(count));
    return secondaries(eniId).stream().filter(ip -> !before.contains(ip)).toList();
  }

  List<String> secondaries(String eniId) {
    return ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eniId)).networkInterfaces().get(0)
        .privateIpAddresses().stream().filter(p -> !Boolean.TRUE.equals(p.primary()))
        .map(NetworkInterfacePrivateIpAddress::privateIpAddress).toList();
  }
}
