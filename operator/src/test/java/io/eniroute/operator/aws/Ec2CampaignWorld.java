package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The EC2 side of one fault-campaign run: an in-memory EC2 ({@link FakeEc2}) behind a
 * {@link FaultyEc2}, one instance that eniroute shares with co-tenants it must never touch (the
 * VPC CNI's interface with its addresses, the CNI's warm-pool addresses on the primary, an Elastic
 * IP someone associated with one of them, a loose Elastic IP of another team), and a pool of
 * Elastic IPs for eniroute. Judges EC2 afterwards: converged to a policy's counts, duplicates,
 * leaks after release, co-tenants touched.
 */
public final class Ec2CampaignWorld {
  public static final Map<String, String> POOL = Map.of("eniroute.io/pool", "campaign");
  public static final String TYPE = "m5.xlarge";

  public final FakeEc2 ec2 = new FakeEc2().type(TYPE, 4, 15);
  public final FaultyEc2 faulty = new FaultyEc2(ec2);
  public final String subnet;
  public final String instance;
  private final String primary;
  private final String cni;
  private final List<String> warmPool;
  private final String cniEip;
  private final String looseEip;
  private final Eni cniBefore;
  private final Map<String, String> primaryTagsBefore;
  private final List<ElasticIp> foreignEipsBefore;

  public Ec2CampaignWorld() {
    subnet = ec2.subnet("10.0", 200);
    instance = ec2.instance(TYPE, subnet);
    primary = ec2.interfacesOf(instance).get(0).id();
    warmPool = ec2.assignByHand(primary, 2);
    cni = ec2.foreignInterface(instance, subnet, 3);
    ec2.assignByHand(cni, 2);
    cniEip = ec2.elasticIp(Map.of("team", "cni"));
    ec2.associateByHand(cniEip, primary, warmPool.get(0));
    looseEip = ec2.elasticIp(Map.of("team", "other"));
    for (int i = 0; i < 8; i++) {
      ec2.elasticIp(POOL);
    }
    cniBefore = eni(cni);
    primaryTagsBefore = eni(primary).tags();
    foreignEipsBefore = foreignEips();
  }

  /** Policy counts with eniroute's Elastic IP pool. */
  public static AwsSettings settings(int interfaces, int secondaryIps) {
    return Nodes.settings(interfaces, secondaryIps, POOL);
  }

  /**
   * What keeps EC2 from matching {@code s} (empty: converged): eniroute's interfaces and
   * addresses, DeleteOnTermination on what it created, one pool address per owned secondary
   * address, and {@code reported} (the allocator's result) listing exactly those addresses.
   */
  public List<String> notConverged(AwsSettings s, List<InterfaceAddresses> reported) {
    List<String> out = new ArrayList<>();
    InstanceState state = InstanceState.read(ec2, instance, EniOwnership.of(s));
    int interfaces = s.getInterfacesPerNode();
    if (state.managed().size() != interfaces) {
      out.add("eniroute's interfaces: " + state.managed().size() + ", wanted " + interfaces);
    }
    Map<String, String> eipOf = new HashMap<>();
    for (ElasticIp e : ec2.allAddresses()) {
      if (e.associated() && inPool(e)) {
        eipOf.put(e.networkInterfaceId() + "/" + e.privateIp(), e.allocationId());
      }
    }
    for (Eni e : state.managed()) {
      List<String> owned = state.ownedSecondaryIps(e);
      if (owned.size() != s.getSecondaryIpsPerInterface()) {
        out.add(e.id() + " holds " + owned.size() + " of eniroute's secondary addresses, wanted "
            + s.getSecondaryIpsPerInterface());
      }
      if (e.createdByEnirouteFor(instance) && !e.attachment().deleteOnTermination()) {
        out.add(e.id() + " lacks DeleteOnTermination: it outlives its instance");
      }
      for (String ip : owned) {
        if (!eipOf.containsKey(e.id() + "/" + ip)) {
          out.add(e.id() + "/" + ip + " has no Elastic IP from the pool");
        }
      }
    }
    List<String> wanted = state.addresses().stream().map(i -> i.getMac() + "=" + i.getAddresses()).toList();
    List<String> got = reported.stream().map(i -> i.getMac() + "=" + i.getAddresses().stream()
        .map(a -> a.contains("/") ? a.substring(0, a.indexOf('/')) : a).toList()).toList();
    if (!wanted.equals(got)) {
      out.add("the allocator reported " + got + ", EC2 has " + wanted);
    }
    return out;
  }

  /**
   * What eniroute made twice: more interfaces created than the policy ever needed
   * ({@code interfacesNeeded}), addresses on the primary that are neither the co-tenant's nor
   * recorded as eniroute's (assigned, then forgotten), pool addresses associated without
   * eniroute's tags or two on one private address.
   */
  public List<String> duplicates(int interfacesNeeded) {
    List<String> out = new ArrayList<>();
    if (faulty.createdInterfaces().size() > interfacesNeeded) {
      out.add("CreateNetworkInterface made " + faulty.createdInterfaces().size() + " interfaces, " + interfacesNeeded
          + " were needed: " + faulty.createdInterfaces());
    }
    Eni p = eni(primary);
    Set<String> unknown = new LinkedHashSet<>(p.secondaryIps());
    warmPool.forEach(unknown::remove);
    unknown.removeAll(Tags.recordedSecondaryIps(p.tags()));
    if (!unknown.isEmpty()) {
      out.add("the primary holds " + unknown + ": neither the co-tenant's nor recorded as eniroute's");
    }
    Set<String> bound = new LinkedHashSet<>();
    for (ElasticIp e : ec2.allAddresses()) {
      if (e.associated() && inPool(e)) {
        if (!instance.equals(e.tags().get(Tags.ASSOCIATED_INSTANCE))) {
          out.add(e.allocationId() + " is associated with " + e.privateIp() + " without eniroute's tags");
        }
        if (!bound.add(e.networkInterfaceId() + "/" + e.privateIp())) {
          out.add("a second pool address on " + e.privateIp());
        }
      }
    }
    return out;
  }

  /** What eniroute left in EC2 after a release (empty: nothing). */
  public List<String> leaks() {
    List<String> out = new ArrayList<>();
    for (Eni e : ec2.allInterfaces()) {
      if ("true".equals(e.tags().get(Tags.MANAGED))) {
        out.add("interface " + e.id() + " (" + e.status() + ") still exists");
      }
    }
    Eni p = eni(primary);
    if (!p.secondaryIps().equals(warmPool)) {
      out.add("the primary holds " + p.secondaryIps() + ", before eniroute " + warmPool);
    }
    List<String> ours = p.tags().keySet().stream().filter(k -> k.startsWith("eniroute.io/")).toList();
    if (!ours.isEmpty()) {
      out.add("the primary still carries " + ours);
    }
    for (ElasticIp e : ec2.allAddresses()) {
      if (e.tags().containsKey(Tags.ASSOCIATED_INSTANCE) || e.tags().containsKey(Tags.ASSOCIATED_ADDRESS)) {
        out.add(e.allocationId() + " still carries eniroute's association tags");
      }
      if (inPool(e) && e.associated()) {
        out.add(e.allocationId() + " is still associated with " + e.privateIp());
      }
    }
    List<String> attached = ec2.interfacesOf(instance).stream().map(Eni::id).toList();
    if (!attached.equals(List.of(primary, cni))) {
      out.add("the instance has " + attached + ", before eniroute " + List.of(primary, cni));
    }
    return out;
  }

  /** What of the co-tenants changed (empty: nothing): the CNI's interface, the warm pool, their Elastic IPs, the primary's tags. */
  public List<String> foreignTouched() {
    List<String> out = new ArrayList<>();
    if (!eni(cni).equals(cniBefore)) {
      out.add("the CNI's interface changed: " + cniBefore + " -> " + eni(cni));
    }
    if (!eni(primary).secondaryIps().containsAll(warmPool)) {
      out.add("the CNI's warm pool " + warmPool + " is no longer on the primary: " + eni(primary).secondaryIps());
    }
    Map<String, String> tags = new HashMap<>(eni(primary).tags());
    tags.keySet().removeIf(k -> k.startsWith("eniroute.io/"));
    if (!tags.equals(primaryTagsBefore)) {
      out.add("the primary's own tags changed: " + primaryTagsBefore + " -> " + tags);
    }
    if (!foreignEips().equals(foreignEipsBefore)) {
      out.add("foreign Elastic IPs changed: " + foreignEipsBefore + " -> " + foreignEips());
    }
    return out;
  }

  private List<ElasticIp> foreignEips() {
    return ec2.allAddresses().stream().filter(e -> e.allocationId().equals(cniEip) || e.allocationId().equals(looseEip)).toList();
  }

  private Eni eni(String id) {
    return ec2.allInterfaces().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
  }

  private static boolean inPool(ElasticIp e) {
    return POOL.entrySet().stream().allMatch(t -> t.getValue().equals(e.tags().get(t.getKey())));
  }
}
