package io.eniroute.operator.aws;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * In-memory EC2 behind {@link Ec2Gateway} that enforces what moto does not: instance-type limits
 * (AttachmentLimitExceeded, PrivateIpAddressLimitExceeded), subnet exhaustion
 * (InsufficientFreeAddressesInSubnet), device-index collisions, client-token idempotency
 * (IdempotentParameterMismatch), eventual consistency (a new interface is NotFound for the first
 * {@code invisibleDescribes} describes that would show it) and EC2's per-action token buckets
 * (RequestLimitExceeded, with AWS's documented bucket per action: {@link FakeEc2Buckets}, one
 * token per request and per page). Thread-safe; counts every request by action.
 */
public final class FakeEc2 implements Ec2Gateway {
  private final Map<String, InstanceTypeLimits> types = new HashMap<>();
  private final Map<String, String> instanceTypes = new HashMap<>();
  private final Map<String, Subnet> subnets = new HashMap<>();
  private final Map<String, MutableEni> enis = new LinkedHashMap<>();
  private final Map<String, MutableEip> eips = new LinkedHashMap<>();
  private final Map<String, String[]> tokens = new HashMap<>();
  private final FakeEc2Buckets buckets;
  private final Map<Ec2Action, AtomicInteger> calls = new EnumMap<>(Ec2Action.class);
  private final Map<Ec2Action, AtomicInteger> throttled = new EnumMap<>(Ec2Action.class);
  private final Map<Ec2Action, List<Consumer<FakeEc2>>> hooks = new EnumMap<>(Ec2Action.class);
  private volatile Ec2RateLimiter pacer;
  private int pageSize = 1000;
  private int invisibleDescribes;
  private int describeLag;
  private int seq;

  private static final class Subnet {
    final String id;
    final String prefix;
    int free;
    int next = 4;

    Subnet(String id, String prefix, int free) {
      this.id = id;
      this.prefix = prefix;
      this.free = free;
    }
  }

  private static final class MutableEni {
    String id;
    String mac;
    String subnet;
    List<String> groups;
    Eni.Attachment attachment;
    String primaryIp;
    List<String> secondary = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();
    int invisibleFor;
    int describeLag;

    Eni view() {
      return new Eni(id, mac.toUpperCase(java.util.Locale.ROOT), subnet, groups,
          attachment == null ? "available" : "in-use", attachment, primaryIp, secondary, tags);
    }
  }

  private static final class MutableEip {
    String allocationId;
    String publicIp;
    String associationId;
    String eni;
    String privateIp;
    Map<String, String> tags = new LinkedHashMap<>();

    ElasticIp view() {
      return new ElasticIp(allocationId, publicIp, associationId, eni, privateIp, tags);
    }
  }

  /** Unthrottled fake. */
  public FakeEc2() {
    this(null);
  }

  /** Throttled by {@code buckets} (null: not throttled). */
  private FakeEc2(FakeEc2Buckets buckets) {
    this.buckets = buckets;
    for (Ec2Action a : Ec2Action.values()) {
      calls.put(a, new AtomicInteger());
      throttled.put(a, new AtomicInteger());
    }
  }

  /** Throttled as AWS documents each action's bucket, refilled {@code rateScale} times faster (1: real time). */
  public static FakeEc2 throttledAsDocumented(double rateScale) {
    return new FakeEc2(FakeEc2Buckets.documented(rateScale, System::nanoTime));
  }

  /** Same, on the caller's clock (tests that step time by hand). */
  static FakeEc2 throttledAsDocumented(LongSupplier nanos) {
    return new FakeEc2(FakeEc2Buckets.documented(1, nanos));
  }

  /** Every action throttled by one small bucket (tests that want RequestLimitExceeded at once). */
  static FakeEc2 throttledUniformly(double capacity, double refillPerSecond) {
    return new FakeEc2(FakeEc2Buckets.uniform(new FakeEc2Buckets.Size(capacity, refillPerSecond), System::nanoTime));
  }

  // ---- setup -------------------------------------------------------------------------------

  public synchronized FakeEc2 type(String name, int maxInterfaces, int ipv4PerInterface, Integer... perCard) {
    types.put(name, new InstanceTypeLimits(name, maxInterfaces, ipv4PerInterface,
        perCard.length == 0 ? List.of(maxInterfaces) : List.of(perCard)));
    return this;
  }

  public synchronized String subnet(String prefix, int freeAddresses) {
    String id = String.format("subnet-%08x", subnets.size() + 1);
    subnets.put(id, new Subnet(id, prefix, freeAddresses));
    return id;
  }

  /** Launches an instance with its primary interface (device 0) in {@code subnetId}. */
  public synchronized String instance(String type, String subnetId) {
    String id = String.format("i-%017x", ++seq);
    instanceTypes.put(id, type);
    MutableEni eni = newEni(subnetId, List.of("sg-00000001"));
    eni.invisibleFor = 0;
    eni.attachment = new Eni.Attachment(String.format("eni-attach-%08x", ++seq), id, 0, 0, true);
    return id;
  }

  /** Creates an interface nobody tagged and attaches it to {@code instanceId} at {@code device}. */
  synchronized String foreignInterface(String instanceId, String subnetId, int device) {
    MutableEni eni = newEni(subnetId, List.of("sg-00000002"));
    eni.invisibleFor = 0;
    eni.attachment = new Eni.Attachment(String.format("eni-attach-%08x", ++seq), instanceId, device, 0, false);
    return eni.id;
  }

  /** Adds secondary addresses to an interface as someone else would (no record tag). */
  synchronized List<String> assignByHand(String eniId, int count) {
    MutableEni eni = enis.get(eniId);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String ip = takeAddress(eni.subnet, "AssignPrivateIpAddresses");
      eni.secondary.add(ip);
      out.add(ip);
    }
    return out;
  }

  synchronized String elasticIp(Map<String, String> tags) {
    MutableEip eip = new MutableEip();
    eip.allocationId = String.format("eipalloc-%08x", ++seq);
    eip.publicIp = "198.51.100." + (eips.size() + 1);
    eip.tags.putAll(tags);
    eips.put(eip.allocationId, eip);
    return eip.allocationId;
  }

  /** Associates an address as someone else would. */
  synchronized void associateByHand(String allocationId, String eniId, String privateIp) {
    MutableEip eip = eips.get(allocationId);
    eip.associationId = String.format("eipassoc-%08x", ++seq);
    eip.eni = eniId;
    eip.privateIp = privateIp;
  }

  /**
   * Puts each request (each page too) through {@code limiter} before serving it, and serves
   * nothing when it refuses (ClientThrottled): the fake's stand-in for the SDK client's
   * Ec2LimiterInterceptor when the fake is called directly. The wait happens inside the fake's
   * lock, so use it with limiters on a virtual clock or that refuse rather than wait long.
   */
  public FakeEc2 pacedBy(Ec2RateLimiter limiter) {
    this.pacer = limiter;
    return this;
  }

  /** Results per page of DescribeNetworkInterfaces (the SDK's paginator asks page by page; each page is a request). */
  synchronized FakeEc2 pageSize(int results) {
    this.pageSize = results;
    return this;
  }

  /** New interfaces stay invisible (NotFound) for this many describes/uses. */
  synchronized FakeEc2 invisibleDescribes(int k) {
    this.invisibleDescribes = k;
    return this;
  }

  /** New interfaces work at once but are missing from this many describe results (listing lag). */
  synchronized FakeEc2 describeLag(int k) {
    this.describeLag = k;
    return this;
  }

  /** Runs {@code hook} (once) just before the next call of {@code action} is served. */
  synchronized void before(Ec2Action action, Consumer<FakeEc2> hook) {
    hooks.computeIfAbsent(action, a -> new ArrayList<>()).add(hook);
  }

  /** Makes the next call of {@code action} fail with {@code code}. */
  void failNext(Ec2Action action, String code) {
    before(action, f -> {
      throw new Ec2CallException(action.apiName(), code, "injected by the test");
    });
  }

  /** Records a client token as if an earlier CreateNetworkInterface had used other parameters. */
  synchronized void usedToken(String token, String subnetId) {
    tokens.put(token, new String[] {subnetId + "|other-groups", "eni-00000000"});
  }

  synchronized void freeAddresses(String subnetId, int free) {
    subnets.get(subnetId).free = free;
  }

  // ---- inspection --------------------------------------------------------------------------

  public int calls(Ec2Action action) {
    return calls.get(action).get();
  }

  public int mutatingCalls() {
    return calls.entrySet().stream().filter(e -> e.getKey().mutating()).mapToInt(e -> e.getValue().get()).sum();
  }

  /** Requests of {@code action} answered RequestLimitExceeded by the fake's bucket. */
  public int throttledCalls(Ec2Action action) {
    return throttled.get(action).get();
  }

  public int throttledCalls() {
    return throttled.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public synchronized List<Eni> interfacesOf(String instanceId) {
    return enis.values().stream().filter(e -> e.attachment != null && e.attachment.instanceId().equals(instanceId))
        .map(MutableEni::view).sorted(java.util.Comparator.comparingInt(Eni::deviceIndex)).toList();
  }

  public synchronized List<Eni> allInterfaces() {
    return enis.values().stream().map(MutableEni::view).toList();
  }

  synchronized List<ElasticIp> allAddresses() {
    return eips.values().stream().map(MutableEip::view).toList();
  }

  // ---- Ec2Gateway --------------------------------------------------------------------------

  @Override
  public synchronized List<Eni> describeInterfaces(Map<String, List<String>> filters) {
    // the gateway pages through the results (SDK paginator): the first page, then one request per further page
    serve(Ec2Action.DESCRIBE_NETWORK_INTERFACES, false);
    List<Eni> out = new ArrayList<>();
    for (MutableEni e : enis.values()) {
      Eni v = e.view();
      if (!matches(v, filters)) {
        continue;
      }
      if (e.invisibleFor > 0) {
        e.invisibleFor--;
        continue;
      }
      if (e.describeLag > 0) {
        e.describeLag--;
        continue;
      }
      out.add(v);
    }
    for (int page = 1; page * pageSize < out.size(); page++) {
      serve(Ec2Action.DESCRIBE_NETWORK_INTERFACES, false);
    }
    return out;
  }

  @Override
  public synchronized Optional<String> describeInstanceType(String instanceId) {
    serve(Ec2Action.DESCRIBE_INSTANCES, true); // by instance id: no filter, no pagination
    return Optional.ofNullable(instanceTypes.get(instanceId));
  }

  @Override
  public synchronized InstanceTypeLimits describeTypeLimits(String instanceType) {
    serve(Ec2Action.DESCRIBE_INSTANCE_TYPES);
    InstanceTypeLimits l = types.get(instanceType);
    if (l == null) {
      throw new Ec2CallException("DescribeInstanceTypes", "InvalidInstanceType", instanceType);
    }
    return l;
  }

  @Override
  public synchronized Optional<String> describeSubnetCidr(String subnetId) {
    serve(Ec2Action.DESCRIBE_SUBNETS);
    Subnet s = subnets.get(subnetId);
    return s == null ? Optional.empty() : Optional.of(s.prefix + ".0.0/16");
  }

  @Override
  public synchronized Eni createInterface(String subnetId, List<String> groups, String clientToken, Map<String, String> tags) {
    serve(Ec2Action.CREATE_NETWORK_INTERFACE);
    String params = subnetId + "|" + String.join(",", groups);
    String[] earlier = tokens.get(clientToken);
    if (earlier != null) {
      if (!earlier[0].equals(params)) {
        throw new Ec2CallException("CreateNetworkInterface", "IdempotentParameterMismatch", clientToken);
      }
      return enis.get(earlier[1]).view();
    }
    if (!subnets.containsKey(subnetId)) {
      throw new Ec2CallException("CreateNetworkInterface", "InvalidSubnetID.NotFound", subnetId);
    }
    MutableEni eni = newEni(subnetId, groups);
    eni.tags.putAll(tags);
    tokens.put(clientToken, new String[] {params, eni.id});
    return eni.view();
  }

  @Override
  public synchronized String attachInterface(String interfaceId, String instanceId, int deviceIndex, int networkCard) {
    serve(Ec2Action.ATTACH_NETWORK_INTERFACE);
    MutableEni eni = visible("AttachNetworkInterface", interfaceId);
    InstanceTypeLimits limits = types.get(instanceTypes.get(instanceId));
    List<MutableEni> attached = enis.values().stream()
        .filter(e -> e.attachment != null && e.attachment.instanceId().equals(instanceId)).toList();
    if (eni.attachment != null) {
      throw new Ec2CallException("AttachNetworkInterface", "InvalidParameterValue", interfaceId + " is in use");
    }
    if (attached.stream().anyMatch(e -> e.attachment.deviceIndex() == deviceIndex)) {
      throw new Ec2CallException("AttachNetworkInterface", "InvalidParameterValue",
          "Instance '" + instanceId + "' already has an interface attached at device index '" + deviceIndex + "'.");
    }
    long onCard = attached.stream().filter(e -> e.attachment.networkCard() == networkCard).count();
    if (attached.size() >= limits.maxInterfaces() || networkCard >= limits.networkCards()
        || onCard >= limits.interfacesPerCard().get(networkCard)) {
      throw new Ec2CallException("AttachNetworkInterface", "AttachmentLimitExceeded",
          "Interface count " + (attached.size() + 1) + " exceeds the limit for " + limits.instanceType());
    }
    eni.attachment = new Eni.Attachment(String.format("eni-attach-%08x", ++seq), instanceId, deviceIndex, networkCard, false);
    return eni.attachment.id();
  }

  @Override
  public synchronized void setDeleteOnTermination(String interfaceId, String attachmentId) {
    serve(Ec2Action.MODIFY_NETWORK_INTERFACE_ATTRIBUTE);
    MutableEni eni = visible("ModifyNetworkInterfaceAttribute", interfaceId);
    if (eni.attachment == null || !eni.attachment.id().equals(attachmentId)) {
      throw new Ec2CallException("ModifyNetworkInterfaceAttribute", "InvalidAttachmentID.NotFound", attachmentId);
    }
    Eni.Attachment a = eni.attachment;
    eni.attachment = new Eni.Attachment(a.id(), a.instanceId(), a.deviceIndex(), a.networkCard(), true);
  }

  @Override
  public synchronized List<String> assignSecondaryIps(String interfaceId, int count) {
    serve(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES);
    MutableEni eni = visible("AssignPrivateIpAddresses", interfaceId);
    String type = eni.attachment == null ? null : instanceTypes.get(eni.attachment.instanceId());
    if (type != null && 1 + eni.secondary.size() + count > types.get(type).ipv4PerInterface()) {
      throw new Ec2CallException("AssignPrivateIpAddresses", "PrivateIpAddressLimitExceeded",
          "Number of private addresses will exceed limit for " + type);
    }
    if (subnets.get(eni.subnet).free < count) {
      throw new Ec2CallException("AssignPrivateIpAddresses", "InsufficientFreeAddressesInSubnet", eni.subnet);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String ip = takeAddress(eni.subnet, "AssignPrivateIpAddresses");
      eni.secondary.add(ip);
      out.add(ip);
    }
    return out;
  }

  @Override
  public synchronized void unassignSecondaryIps(String interfaceId, List<String> privateIps) {
    serve(Ec2Action.UNASSIGN_PRIVATE_IP_ADDRESSES);
    MutableEni eni = visible("UnassignPrivateIpAddresses", interfaceId);
    if (!eni.secondary.containsAll(privateIps)) {
      throw new Ec2CallException("UnassignPrivateIpAddresses", "InvalidParameterValue", privateIps + " not on " + interfaceId);
    }
    eni.secondary.removeAll(privateIps);
    subnets.get(eni.subnet).free += privateIps.size();
  }

  @Override
  public synchronized List<ElasticIp> describeAddresses(Map<String, List<String>> filters) {
    serve(Ec2Action.DESCRIBE_ADDRESSES);
    return eips.values().stream().map(MutableEip::view).filter(e -> matches(e, filters)).toList();
  }

  @Override
  public synchronized String associateAddress(String allocationId, String interfaceId, String privateIp) {
    serve(Ec2Action.ASSOCIATE_ADDRESS);
    MutableEip eip = eips.get(allocationId);
    MutableEni eni = visible("AssociateAddress", interfaceId);
    if (eip == null) {
      throw new Ec2CallException("AssociateAddress", "InvalidAllocationID.NotFound", allocationId);
    }
    if (eip.associationId != null) {
      throw new Ec2CallException("AssociateAddress", "Resource.AlreadyAssociated", allocationId + " is already associated");
    }
    if (!eni.secondary.contains(privateIp) && !privateIp.equals(eni.primaryIp)) {
      throw new Ec2CallException("AssociateAddress", "InvalidParameterValue", privateIp + " is not on " + interfaceId);
    }
    if (eips.values().stream().anyMatch(e -> interfaceId.equals(e.eni) && privateIp.equals(e.privateIp))) {
      throw new Ec2CallException("AssociateAddress", "Resource.AlreadyAssociated", privateIp + " already has an address");
    }
    associateByHand(allocationId, interfaceId, privateIp);
    return eip.associationId;
  }

  @Override
  public synchronized void disassociateAddress(String associationId) {
    serve(Ec2Action.DISASSOCIATE_ADDRESS);
    MutableEip eip = eips.values().stream().filter(e -> associationId.equals(e.associationId)).findFirst()
        .orElseThrow(() -> new Ec2CallException("DisassociateAddress", "InvalidAssociationID.NotFound", associationId));
    eip.associationId = null;
    eip.eni = null;
    eip.privateIp = null;
  }

  @Override
  public synchronized void detachInterface(String attachmentId) {
    serve(Ec2Action.DETACH_NETWORK_INTERFACE);
    MutableEni eni = enis.values().stream().filter(e -> e.attachment != null && e.attachment.id().equals(attachmentId))
        .findFirst().orElseThrow(() -> new Ec2CallException("DetachNetworkInterface", "InvalidAttachmentID.NotFound", attachmentId));
    if (eni.attachment.deviceIndex() == 0) {
      throw new Ec2CallException("DetachNetworkInterface", "OperationNotPermitted", "the primary interface cannot be detached");
    }
    eni.attachment = null;
  }

  @Override
  public synchronized void deleteInterface(String interfaceId) {
    serve(Ec2Action.DELETE_NETWORK_INTERFACE);
    MutableEni eni = visible("DeleteNetworkInterface", interfaceId);
    if (eni.attachment != null) {
      throw new Ec2CallException("DeleteNetworkInterface", "InvalidNetworkInterface.InUse", interfaceId + " is in use");
    }
    eips.values().stream().filter(e -> interfaceId.equals(e.eni)).forEach(e -> {
      e.associationId = null;
      e.eni = null;
      e.privateIp = null;
    });
    subnets.get(eni.subnet).free += 1 + eni.secondary.size();
    enis.remove(interfaceId);
  }

  @Override
  public synchronized void createTags(String resourceId, Map<String, String> tags) {
    serve(Ec2Action.CREATE_TAGS);
    tagsOf(resourceId).putAll(tags);
  }

  @Override
  public synchronized void deleteTags(String resourceId, Set<String> keys) {
    serve(Ec2Action.DELETE_TAGS);
    tagsOf(resourceId).keySet().removeAll(keys);
  }

  // ---- internals ---------------------------------------------------------------------------

  private void serve(Ec2Action action) {
    serve(action, false);
  }

  /** One request to EC2: paced by the client's limiter, if any (not sent when it refuses), counted, throttled by its bucket, then the test's hooks. */
  private void serve(Ec2Action action, boolean unfilteredUnpaginated) {
    Ec2RateLimiter limiter = pacer;
    if (limiter != null) {
      limiter.acquire(action).close(); // in memory, the request is answered at once
    }
    calls.get(action).incrementAndGet();
    if (buckets != null && !buckets.take(action.apiName(), unfilteredUnpaginated)) {
      throttled.get(action).incrementAndGet();
      throw new Ec2CallException(action.apiName(), "RequestLimitExceeded", "Request limit exceeded.");
    }
    List<Consumer<FakeEc2>> pending = hooks.get(action);
    if (pending != null && !pending.isEmpty()) {
      pending.remove(0).accept(this);
    }
  }

  private MutableEni newEni(String subnetId, List<String> groups) {
    MutableEni eni = new MutableEni();
    eni.id = String.format("eni-%017x", ++seq);
    eni.mac = String.format("0a:%02x:%02x:%02x:%02x:%02x", (seq >> 32) & 0xff, (seq >> 24) & 0xff,
        (seq >> 16) & 0xff, (seq >> 8) & 0xff, seq & 0xff);
    eni.subnet = subnetId;
    eni.groups = List.copyOf(groups);
    eni.primaryIp = takeAddress(subnetId, "CreateNetworkInterface");
    eni.invisibleFor = invisibleDescribes;
    eni.describeLag = describeLag;
    enis.put(eni.id, eni);
    return eni;
  }

  private String takeAddress(String subnetId, String action) {
    Subnet s = subnets.get(subnetId);
    if (s.free <= 0) {
      throw new Ec2CallException(action, "InsufficientFreeAddressesInSubnet", "no free address in " + subnetId);
    }
    s.free--;
    int n = s.next++;
    return s.prefix + "." + (n / 250) + "." + (n % 250 + 4);
  }

  private MutableEni visible(String action, String interfaceId) {
    MutableEni eni = enis.get(interfaceId);
    if (eni == null || eni.invisibleFor > 0) {
      if (eni != null) {
        eni.invisibleFor--;
      }
      throw new Ec2CallException(action, "InvalidNetworkInterfaceID.NotFound",
          "The networkInterface ID '" + interfaceId + "' does not exist");
    }
    return eni;
  }

  private Map<String, String> tagsOf(String resourceId) {
    if (enis.containsKey(resourceId)) {
      return enis.get(resourceId).tags;
    }
    if (eips.containsKey(resourceId)) {
      return eips.get(resourceId).tags;
    }
    throw new Ec2CallException("CreateTags", "InvalidID", resourceId);
  }

  private static boolean matches(Eni e, Map<String, List<String>> filters) {
    for (var f : filters.entrySet()) {
      String value = switch (f.getKey()) {
        case "attachment.instance-id" -> e.attachment() == null ? null : e.attachment().instanceId();
        case "network-interface-id" -> e.id();
        case "status" -> e.status();
        case "subnet-id" -> e.subnetId();
        default -> f.getKey().startsWith("tag:") ? e.tags().get(f.getKey().substring(4)) : unsupported(f.getKey());
      };
      if (value == null || !f.getValue().contains(value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(ElasticIp e, Map<String, List<String>> filters) {
    for (var f : filters.entrySet()) {
      String value = switch (f.getKey()) {
        case "network-interface-id" -> e.networkInterfaceId();
        case "allocation-id" -> e.allocationId();
        default -> f.getKey().startsWith("tag:") ? e.tags().get(f.getKey().substring(4)) : unsupported(f.getKey());
      };
      if (value == null || !f.getValue().contains(value)) {
        return false;
      }
    }
    return true;
  }

  private static String unsupported(String filter) {
    throw new IllegalArgumentException("the fake does not know filter " + filter);
  }
}
