package io.eniroute.agent.safety;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.engine.Ipv4;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.SafetySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which probes a spec asks for on the interfaces a report shows: the gateway from every address
 * of every managed interface (ICMP through the address's table, and ARP on its interface, so a
 * gateway that answers only one of them is still covered), the API server (when known), and
 * spec.safety.tcpProbes.
 */
public final class ProbeTargets {
  private final Optional<HostPort> apiServer;

  /** @param apiServer the API server to probe when spec.safety.apiServerProbe is on (empty outside a cluster) */
  public ProbeTargets(Optional<HostPort> apiServer) {
    this.apiServer = apiServer;
  }

  /** host:port, parsed from "host:port". */
  public record HostPort(String host, int port) {
    public static HostPort parse(String s) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("'" + s + "' is not host:port (e.g. 10.0.0.10:443)");
      }
      try {
        return new HostPort(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' has no numeric port (e.g. 10.0.0.10:443)");
      }
    }

    /** From KUBERNETES_SERVICE_HOST/PORT, which the kubelet sets in every pod. */
    public static Optional<HostPort> fromKubernetesEnv(java.util.Map<String, String> env) {
      String host = env.get("KUBERNETES_SERVICE_HOST");
      String port = env.get("KUBERNETES_SERVICE_PORT");
      if (host == null || host.isBlank() || port == null || port.isBlank()) {
        return Optional.empty();
      }
      return Optional.of(new HostPort(host, Integer.parseInt(port.trim())));
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  public List<ProbeTarget> targets(NodeNetworkConfigSpec spec, List<InterfaceStatus> interfaces) {
    SafetySettings safety = spec.getSafety() == null ? new SafetySettings() : spec.getSafety();
    List<ProbeTarget> out = new ArrayList<>();
    if (!Boolean.FALSE.equals(safety.getGatewayProbe())) {
      for (InterfaceStatus i : interfaces) {
        if (!Boolean.TRUE.equals(i.getManaged())) {
          continue;
        }
        String gw = gateway(spec, i);
        if (gw == null) {
          continue;
        }
        for (String a : i.getAddresses()) {
          String src = Ipv4.addressOf(a);
          if (!src.equals(gw)) {
            out.add(new ProbeTarget.Gateway(i.getName(), src, gw, i.getTable()));
            out.add(new ProbeTarget.GatewayArp(i.getName(), src, gw));
          }
        }
      }
    }
    if (!Boolean.FALSE.equals(safety.getApiServerProbe())) {
      apiServer.ifPresent(a -> out.add(new ProbeTarget.Tcp("apiserver", a.host(), a.port())));
    }
    for (String t : safety.getTcpProbes()) {
      HostPort hp = HostPort.parse(t);
      out.add(new ProbeTarget.Tcp("tcp:" + hp, hp.host(), hp.port()));
    }
    return out;
  }

  /** The interface's gateway as the engine reported it, else the configured one, else the subnet's first host. */
  static String gateway(NodeNetworkConfigSpec spec, InterfaceStatus i) {
    if (i.getGateway() != null && !i.getGateway().isBlank()) {
      return i.getGateway();
    }
    if (spec.getRouting() != null && spec.getRouting().getGateway() != null) {
      return spec.getRouting().getGateway();
    }
    return i.getSubnet() == null ? null : Ipv4.firstHost(i.getSubnet());
  }
}
