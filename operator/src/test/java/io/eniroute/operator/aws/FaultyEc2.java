package io.eniroute.operator.aws;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An {@link Ec2Gateway} in front of another (the in-memory {@link FakeEc2}) that records every call
 * in order and injects one fault at a chosen call: the k-th call of one action, for {@code times}
 * consecutive calls of it. A fault either refuses the call before EC2 acts (throttled, subnet
 * full, NotFound of eventual consistency) or loses the response after EC2 acted (a 500 or a
 * timeout after the mutation: the caller cannot tell it happened). A stale
 * DescribeNetworkInterfaces leaves out the interfaces created in this run (EC2's listing lags).
 */
public final class FaultyEc2 implements Ec2Gateway {

  /** One call as it reached EC2: the action and its ordinal among calls of that action (from 1). */
  public record Call(Ec2Action action, int ordinal) {
    @Override
    public String toString() {
      return action.apiName() + "#" + ordinal;
    }
  }

  /** What goes wrong at the chosen call. */
  public enum Fault {
    /** RequestLimitExceeded: EC2 did nothing. */
    THROTTLED(false),
    /** InsufficientFreeAddressesInSubnet: EC2 did nothing. */
    SUBNET_FULL(false),
    /** AttachmentLimitExceeded (e.g. the VPC CNI took the last slot a moment earlier): EC2 did nothing. */
    ATTACHMENT_LIMIT(false),
    /** PrivateIpAddressLimitExceeded (a co-tenant filled the interface for a moment): EC2 did nothing. */
    IP_LIMIT(false),
    /** UnauthorizedOperation (the operator's IAM role lacks the action): EC2 did nothing. */
    UNAUTHORIZED(false),
    /** Eventual consistency: the resource just created is not known yet (…ID.NotFound); a listing leaves it out. */
    NOT_FOUND(false),
    /** EC2 performed the call, then answered 500 InternalError (after the SDK's retries). */
    LOST_500(true),
    /** EC2 performed the call, then the connection timed out (the SDK reports it unreachable). */
    LOST_TIMEOUT(true);

    private final boolean afterMutation;

    Fault(boolean afterMutation) {
      this.afterMutation = afterMutation;
    }

    public boolean afterMutation() {
      return afterMutation;
    }

    /** Whether EC2 can answer {@code action} this way. */
    public boolean appliesTo(Ec2Action action) {
      return switch (this) {
        case THROTTLED -> true;
        case SUBNET_FULL -> action == Ec2Action.CREATE_NETWORK_INTERFACE || action == Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES;
        case ATTACHMENT_LIMIT -> action == Ec2Action.ATTACH_NETWORK_INTERFACE;
        case IP_LIMIT -> action == Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES;
        case NOT_FOUND -> action != Ec2Action.CREATE_NETWORK_INTERFACE && action != Ec2Action.DESCRIBE_INSTANCES
            && action != Ec2Action.DESCRIBE_INSTANCE_TYPES && action != Ec2Action.DESCRIBE_SUBNETS
            && action != Ec2Action.DESCRIBE_ADDRESSES;
        case LOST_500, LOST_TIMEOUT, UNAUTHORIZED -> action.mutating();
      };
    }
  }

  private final Ec2Gateway ec2;
  private final List<Call> calls = new ArrayList<>();
  private final Map<Ec2Action, Integer> ordinals = new EnumMap<>(Ec2Action.class);
  private final Set<String> created = new LinkedHashSet<>();
  private final Set<String> settled = new LinkedHashSet<>();
  private Call at;
  private Fault fault;
  private int times;
  private int injected;

  public FaultyEc2(Ec2Gateway ec2) {
    this.ec2 = ec2;
  }

  /** Injects {@code fault} at {@code at} and the next {@code times - 1} calls of the same action. */
  public synchronized FaultyEc2 inject(Call at, Fault fault, int times) {
    if (!fault.appliesTo(at.action())) {
      throw new IllegalArgumentException(at.action().apiName() + " cannot answer " + fault);
    }
    this.at = at;
    this.fault = fault;
    this.times = times;
    return this;
  }

  /** No fault from now on (the cause was fixed). */
  public synchronized void clear() {
    at = null;
  }

  /** EC2's listings have caught up: interfaces created so far are no longer left out by a stale describe. */
  public synchronized void settle() {
    settled.addAll(created);
  }

  /** Every call so far, in order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many times the fault was injected (0: the chosen call never came). */
  public synchronized int injected() {
    return injected;
  }

  /** Every interface id CreateNetworkInterface returned in this run (a retry with the same token returns the same). */
  public synchronized Set<String> createdInterfaces() {
    return Set.copyOf(created);
  }

  // ---- Ec2Gateway --------------------------------------------------------------------------

  @Override
  public List<Eni> describeInterfaces(Map<String, List<String>> filters) {
    Fault f = next(Ec2Action.DESCRIBE_NETWORK_INTERFACES);
    if (f == Fault.NOT_FOUND) {
      Set<String> lagging = lagging();
      return ec2.describeInterfaces(filters).stream().filter(e -> !lagging.contains(e.id())).toList();
    }
    return run(Ec2Action.DESCRIBE_NETWORK_INTERFACES, f, null, () -> ec2.describeInterfaces(filters));
  }

  @Override
  public Optional<String> describeInstanceType(String instanceId) {
    return run(Ec2Action.DESCRIBE_INSTANCES, null, () -> ec2.describeInstanceType(instanceId));
  }

  @Override
  public InstanceTypeLimits describeTypeLimits(String instanceType) {
    return run(Ec2Action.DESCRIBE_INSTANCE_TYPES, null, () -> ec2.describeTypeLimits(instanceType));
  }

  @Override
  public Optional<String> describeSubnetCidr(String subnetId) {
    return run(Ec2Action.DESCRIBE_SUBNETS, null, () -> ec2.describeSubnetCidr(subnetId));
  }

  @Override
  public Eni createInterface(String subnetId, List<String> securityGroupIds, String clientToken, Map<String, String> tags) {
    return run(Ec2Action.CREATE_NETWORK_INTERFACE, null, () -> {
      Eni eni = ec2.createInterface(subnetId, securityGroupIds, clientToken, tags);
      synchronized (this) {
        created.add(eni.id());
      }
      return eni;
    });
  }

  @Override
  public String attachInterface(String interfaceId, String instanceId, int deviceIndex, int networkCard) {
    return run(Ec2Action.ATTACH_NETWORK_INTERFACE, "InvalidNetworkInterfaceID.NotFound",
        () -> ec2.attachInterface(interfaceId, instanceId, deviceIndex, networkCard));
  }

  @Override
  public void setDeleteOnTermination(String interfaceId, String attachmentId) {
    run(Ec2Action.MODIFY_NETWORK_INTERFACE_ATTRIBUTE, "InvalidNetworkInterfaceID.NotFound",
        () -> { ec2.setDeleteOnTermination(interfaceId, attachmentId); return null; });
  }

  @Override
  public List<String> assignSecondaryIps(String interfaceId, int count) {
    return run(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, "InvalidNetworkInterfaceID.NotFound",
        () -> ec2.assignSecondaryIps(interfaceId, count));
  }

  @Override
  public void unassignSecondaryIps(String interfaceId, List<String> privateIps) {
    run(Ec2Action.UNASSIGN_PRIVATE_IP_ADDRESSES, "InvalidNetworkInterfaceID.NotFound",
        () -> { ec2.unassignSecondaryIps(interfaceId, privateIps); return null; });
  }

  @Override
  public List<ElasticIp> describeAddresses(Map<String, List<String>> filters) {
    return run(Ec2Action.DESCRIBE_ADDRESSES, null, () -> ec2.describeAddresses(filters));
  }

  @Override
  public String associateAddress(String allocationId, String interfaceId, String privateIp) {
    return run(Ec2Action.ASSOCIATE_ADDRESS, "InvalidAllocationID.NotFound",
        () -> ec2.associateAddress(allocationId, interfaceId, privateIp));
  }

  @Override
  public void disassociateAddress(String associationId) {
    run(Ec2Action.DISASSOCIATE_ADDRESS, "InvalidAssociationID.NotFound",
        () -> { ec2.disassociateAddress(associationId); return null; });
  }

  @Override
  public void detachInterface(String attachmentId) {
    run(Ec2Action.DETACH_NETWORK_INTERFACE, "InvalidAttachmentID.NotFound",
        () -> { ec2.detachInterface(attachmentId); return null; });
  }

  @Override
  public void deleteInterface(String interfaceId) {
    run(Ec2Action.DELETE_NETWORK_INTERFACE, "InvalidNetworkInterfaceID.NotFound",
        () -> { ec2.deleteInterface(interfaceId); return null; });
  }

  @Override
  public void createTags(String resourceId, Map<String, String> tags) {
    run(Ec2Action.CREATE_TAGS, notFoundOf(resourceId), () -> { ec2.createTags(resourceId, tags); return null; });
  }

  @Override
  public void deleteTags(String resourceId, Set<String> keys) {
    run(Ec2Action.DELETE_TAGS, notFoundOf(resourceId), () -> { ec2.deleteTags(resourceId, keys); return null; });
  }

  // ---- internals ---------------------------------------------------------------------------

  private synchronized Set<String> lagging() {
    Set<String> out = new LinkedHashSet<>(created);
    out.removeAll(settled);
    return out;
  }

  private <T> T run(Ec2Action action, String notFoundCode, Supplier<T> call) {
    return run(action, next(action), notFoundCode, call);
  }

  private static <T> T run(Ec2Action action, Fault f, String notFoundCode, Supplier<T> call) {
    if (f == null) {
      return call.get();
    }
    if (f.afterMutation()) {
      call.get();
      throw f == Fault.LOST_500
          ? new Ec2CallException(action.apiName(), "InternalError", "An internal error has occurred (injected after EC2 acted)")
          : new Ec2CallException(action.apiName(), Ec2CallException.UNREACHABLE, "Read timed out (injected after EC2 acted)");
    }
    throw switch (f) {
      case THROTTLED -> new Ec2CallException(action.apiName(), "RequestLimitExceeded", "Request limit exceeded.");
      case SUBNET_FULL -> new Ec2CallException(action.apiName(), "InsufficientFreeAddressesInSubnet",
          "There are not enough free addresses in the subnet (injected)");
      case ATTACHMENT_LIMIT -> new Ec2CallException(action.apiName(), "AttachmentLimitExceeded",
          "Interface count exceeds the limit for this instance type (injected)");
      case NOT_FOUND -> new Ec2CallException(action.apiName(), notFoundCode, "does not exist (injected: not visible yet)");
      case IP_LIMIT -> new Ec2CallException(action.apiName(), "PrivateIpAddressLimitExceeded",
          "Number of private addresses will exceed limit (injected)");
      case UNAUTHORIZED -> new Ec2CallException(action.apiName(), "UnauthorizedOperation",
          "You are not authorized to perform this operation (injected)");
      default -> new IllegalStateException(f.toString());
    };
  }

  /** Counts the call; returns the fault to inject into it, if any. */
  private synchronized Fault next(Ec2Action action) {
    int ordinal = ordinals.merge(action, 1, Integer::sum);
    calls.add(new Call(action, ordinal));
    if (at != null && at.action() == action && ordinal >= at.ordinal() && ordinal < (long) at.ordinal() + times) {
      injected++;
      return fault;
    }
    return null;
  }

  private static String notFoundOf(String resourceId) {
    return resourceId.startsWith("eipalloc-") ? "InvalidAllocationID.NotFound" : "InvalidNetworkInterfaceID.NotFound";
  }
}
