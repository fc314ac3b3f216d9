package io.eniroute.operator.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.NetworkCardInfo;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@link Ec2Gateway} over the SDK's {@link Ec2Client} (EC2 itself or moto). Build the client with
 * {@link Ec2Allocators#pacedBy} to have the client-side limiter charge every HTTP request.
 */
public final class SdkEc2Gateway implements Ec2Gateway {
  private final Ec2Client ec2;

  public SdkEc2Gateway(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  @Override
  public List<Eni> describeInterfaces(Map<String, List<String>> filters) {
    return call(Ec2Action.DESCRIBE_NETWORK_INTERFACES, () -> ec2.describeNetworkInterfacesPaginator(
            r -> r.filters(filters(filters))).networkInterfaces().stream()
        .map(SdkEc2Gateway::eni).toList());
  }

  @Override
  public Optional<String> describeInstanceType(String instanceId) {
    try {
      return call(Ec2Action.DESCRIBE_INSTANCES, () -> ec2.describeInstances(r -> r.instanceIds(instanceId))
          .reservations().stream().flatMap(r -> r.instances().stream())
          .filter(i -> instanceId.equals(i.instanceId()))
          .map(i -> i.instanceTypeAsString()).findFirst());
    } catch (Ec2CallException e) {
      if (e.code().startsWith("InvalidInstanceID")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public InstanceTypeLimits describeTypeLimits(String instanceType) {
    return call(Ec2Action.DESCRIBE_INSTANCE_TYPES, () -> {
      List<InstanceTypeInfo> infos = ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(instanceType))
          .instanceTypes();
      if (infos.isEmpty() || infos.get(0).networkInfo() == null) {
        throw new Ec2CallException(Ec2Action.DESCRIBE_INSTANCE_TYPES.apiName(), "InvalidInstanceType",
            "EC2 returned no network limits for instance type " + instanceType);
      }
      var net = infos.get(0).networkInfo();
      List<Integer> cards = net.networkCards().stream()
          .sorted(java.util.Comparator.comparing(NetworkCardInfo::networkCardIndex))
          .map(NetworkCardInfo::maximumNetworkInterfaces).toList();
      return new InstanceTypeLimits(instanceType, net.maximumNetworkInterfaces(), net.ipv4AddressesPerInterface(), cards);
    });
  }

  @Override
  public Optional<String> describeSubnetCidr(String subnetId) {
    try {
      return call(Ec2Action.DESCRIBE_SUBNETS, () -> ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().stream()
          .filter(s -> subnetId.equals(s.subnetId())).map(s -> s.cidrBlock()).findFirst());
    } catch (Ec2CallException e) {
      if (e.code().startsWith("InvalidSubnetID")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Eni createInterface(String subnetId, List<String> securityGroupIds, String clientToken, Map<String, String> tags) {
    return call(Ec2Action.CREATE_NETWORK_INTERFACE, () -> eni(ec2.createNetworkInterface(r -> r
        .subnetId(subnetId).groups(securityGroupIds).clientToken(clientToken)
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE)
            .tags(tags(tags)).build())).networkInterface()));
  }

  @Override
  public String attachInterface(String interfaceId, String instanceId, int deviceIndex, int networkCard) {
    return call(Ec2Action.ATTACH_NETWORK_INTERFACE, () -> ec2.attachNetworkInterface(r -> r
        .networkInterfaceId(interfaceId).instanceId(instanceId).deviceIndex(deviceIndex)
        .networkCardIndex(networkCard)).attachmentId());
  }

  @Override
  public void setDeleteOnTermination(String interfaceId, String attachmentId) {
    call(Ec2Action.MODIFY_NETWORK_INTERFACE_ATTRIBUTE, () -> ec2.modifyNetworkInterfaceAttribute(r -> r
        .networkInterfaceId(interfaceId)
        .attachment(a -> a.attachmentId(attachmentId).deleteOnTermination(true))));
  }

  @Override
  public List<String> assignSecondaryIps(String interfaceId, int count) {
    // A count and no client token: a resend after a lost answer (500, timeout) assigns again, and
    // a throttled resend gains nothing over the allocator's next pass, which reads what EC2 shows
    // (the eniroute.io/assigning intent). So the SDK never resends this one.
    return call(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, () -> ec2.assignPrivateIpAddresses(r -> r
            .networkInterfaceId(interfaceId).secondaryPrivateIpAddressCount(count)
            .overrideConfiguration(o -> o.addPlugin(NO_SDK_RETRIES)))
        .assignedPrivateIpAddresses().stream().map(a -> a.privateIpAddress()).toList());
  }

  @Override
  public void unassignSecondaryIps(String interfaceId, List<String> privateIps) {
    call(Ec2Action.UNASSIGN_PRIVATE_IP_ADDRESSES, () -> ec2.unassignPrivateIpAddresses(r -> r
        .networkInterfaceId(interfaceId).privateIpAddresses(privateIps)));
  }

  @Override
  public List<ElasticIp> describeAddresses(Map<String, List<String>> filters) {
    return call(Ec2Action.DESCRIBE_ADDRESSES, () -> ec2.describeAddresses(r -> r.filters(filters(filters)))
        .addresses().stream().map(SdkEc2Gateway::elasticIp).toList());
  }

  @Override
  public String associateAddress(String allocationId, String interfaceId, String privateIp) {
    return call(Ec2Action.ASSOCIATE_ADDRESS, () -> ec2.associateAddress(r -> r.allocationId(allocationId)
        .networkInterfaceId(interfaceId).privateIpAddress(privateIp).allowReassociation(false)).associationId());
  }

  @Override
  public void disassociateAddress(String associationId) {
    call(Ec2Action.DISASSOCIATE_ADDRESS, () -> ec2.disassociateAddress(r -> r.associationId(associationId)));
  }

  @Override
  public void detachInterface(String attachmentId) {
    call(Ec2Action.DETACH_NETWORK_INTERFACE, () -> ec2.detachNetworkInterface(r -> r.attachmentId(attachmentId)));
  }

  @Override
  public void deleteInterface(String interfaceId) {
    call(Ec2Action.DELETE_NETWORK_INTERFACE, () -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId(interfaceId)));
  }

  @Override
  public void createTags(String resourceId, Map<String, String> tags) {
    call(Ec2Action.CREATE_TAGS, () -> ec2.createTags(r -> r.resources(resourceId).tags(tags(tags))));
  }

  @Override
  public void deleteTags(String resourceId, Set<String> keys) {
    call(Ec2Action.DELETE_TAGS, () -> ec2.deleteTags(r -> r.resources(resourceId)
        .tags(keys.stream().map(k -> Tag.builder().key(k).build()).toList())));
  }

  /** A per-request plugin: this request is sent once, whatever the client's retry strategy. */
  private static final SdkPlugin NO_SDK_RETRIES =
      config -> config.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));

  private static <T> T call(Ec2Action action, Supplier<T> body) {
    try {
      return body.get();
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      throw new Ec2CallException(action.apiName(), code == null ? "Unknown" : code, String.valueOf(message));
    } catch (SdkException e) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof Ec2CallException refused) {
          throw refused; // the limiter's interceptor did not send the request (ClientThrottled)
        }
      }
      throw new Ec2CallException(action.apiName(), Ec2CallException.UNREACHABLE, e.getMessage());
    }
  }

  private static List<Filter> filters(Map<String, List<String>> filters) {
    return filters.entrySet().stream()
        .map(f -> Filter.builder().name(f.getKey()).values(f.getValue()).build()).toList();
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
  }

  private static Map<String, String> tagMap(List<Tag> tags) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    tags.forEach(t -> out.put(t.key(), t.value() == null ? "" : t.value()));
    return out;
  }

  static Eni eni(NetworkInterface n) {
    NetworkInterfaceAttachment a = n.attachment();
    Eni.Attachment attachment = a == null || a.instanceId() == null || a.instanceId().isBlank() ? null
        : new Eni.Attachment(a.attachmentId(), a.instanceId(), a.deviceIndex() == null ? 0 : a.deviceIndex(),
            a.networkCardIndex() == null ? 0 : a.networkCardIndex(), Boolean.TRUE.equals(a.deleteOnTermination()));
    String primary = n.privateIpAddress();
    List<String> secondary = new ArrayList<>();
    for (NetworkInterfacePrivateIpAddress p : n.privateIpAddresses()) {
      if (Boolean.TRUE.equals(p.primary())) {
        primary = p.privateIpAddress();
      } else {
        secondary.add(p.privateIpAddress());
      }
    }
    return new Eni(n.networkInterfaceId(), n.macAddress(), n.subnetId(),
        n.groups().stream().map(g -> g.groupId()).toList(), n.statusAsString(), attachment, primary, secondary,
        tagMap(n.tagSet()));
  }

  private static ElasticIp elasticIp(Address a) {
    return new ElasticIp(a.allocationId(), a.publicIp(), a.associationId(), a.networkInterfaceId(),
        a.privateIpAddress(), tagMap(a.tags()));
  }
}
