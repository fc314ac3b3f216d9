package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsAdoption;
import io.eniroute.crds.v1alpha1.AwsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which interfaces and addresses of one instance are eniroute's. eniroute shares instances with
 * the AWS VPC CNI, whose ipamd keeps a warm pool of secondary addresses on the primary interface
 * and attaches interfaces of its own for pods (aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go): those addresses are pod IPs, and a host that adds one to an interface
 * swallows the pod's traffic. So ownership is explicit and read from EC2 alone:
 *
 * <ul>
 *   <li>an interface eniroute created for this instance ({@link Tags#MANAGED}), or one carrying all of
 *       {@code spec.aws.adopt.interfaceTags}, is eniroute's whole: every address on it;
 *   <li>on the primary interface eniroute owns the primary address and the secondary addresses it
 *       assigned itself (the {@link Tags#SECONDARY_IPS} record), or all of them with
 *       {@code spec.aws.adopt.primarySecondaryIps};
 *   <li>what eniroute marked retiring ({@link SurplusRetirer}) is still eniroute's to release, but no
 *       longer managed: not counted, routed or given an Elastic IP;
 *   <li>anything else (the CNI's interfaces, its warm pool, addresses someone else assigned) is
 *       foreign: never counted, routed, given an Elastic IP or released.
 * </ul>
 */
public final class EniOwnership {
  private static final EniOwnership NONE_ADOPTED = new EniOwnership(Map.of(), false);

  private final Map<String, String> adoptTags;
  private final boolean adoptPrimarySecondaries;

  private EniOwnership(Map<String, String> adoptTags, boolean adoptPrimarySecondaries) {
    this.adoptTags = Map.copyOf(adoptTags);
    this.adoptPrimarySecondaries = adoptPrimarySecondaries;
  }

  static EniOwnership none() {
    return NONE_ADOPTED;
  }

  static EniOwnership of(AwsSettings settings) {
    AwsAdoption a = settings == null ? null : settings.getAdopt();
    if (a == null) {
      return NONE_ADOPTED;
    }
    return new EniOwnership(a.getInterfaceTags() == null ? Map.of() : a.getInterfaceTags(),
        Boolean.TRUE.equals(a.getPrimarySecondaryIps()));
  }

  /** Every address of the interface is eniroute's: it created the interface, or the policy adopts it. */
  boolean ownsWhole(Eni eni, String instanceId) {
    return eni.deviceIndex() != 0 && (eni.createdByEnirouteFor(instanceId) || adopted(eni));
  }

  /** The interface is routed by eniroute: the primary, or one it owns whole. */
  boolean manages(Eni eni, String instanceId) {
    return eni.deviceIndex() == 0 || (ownsWhole(eni, instanceId) && !retiring(eni, instanceId));
  }

  /** An interface eniroute created and withdrew from the node's config, not yet released. */
  static boolean retiring(Eni eni, String instanceId) {
    return eni.createdByEnirouteFor(instanceId) && Tags.retiringSince(eni.tags()).isPresent();
  }

  /** The secondary addresses of {@code eni} that are eniroute's and not retiring, in EC2's order. */
  List<String> secondaryIps(Eni eni, String instanceId) {
    Set<String> retiring = Tags.retiringIps(eni.tags()).keySet();
    return ownedSecondaryIps(eni, instanceId).stream().filter(ip -> !retiring.contains(ip)).toList();
  }

  private List<String> ownedSecondaryIps(Eni eni, String instanceId) {
    if (ownsWhole(eni, instanceId) || (eni.deviceIndex() == 0 && adoptPrimarySecondaries)) {
      return eni.secondaryIps();
    }
    if (eni.deviceIndex() != 0) {
      return List.of();
    }
    Set<String> recorded = Tags.recordedSecondaryIps(eni.tags());
    return eni.secondaryIps().stream().filter(recorded::contains).toList();
  }

  /** The addresses of {@code eni} that are eniroute's: its primary address first when eniroute manages it. */
  List<String> addresses(Eni eni, String instanceId) {
    List<String> out = new ArrayList<>();
    if (manages(eni, instanceId) && eni.primaryIp() != null) {
      out.add(eni.primaryIp());
    }
    out.addAll(secondaryIps(eni, instanceId));
    return out;
  }

  private boolean adopted(Eni eni) {
    return !adoptTags.isEmpty() && adoptTags.entrySet().stream()
        .allMatch(t -> t.getValue().equals(eni.tags().get(t.getKey())));
  }
}
