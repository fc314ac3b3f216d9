package io.eniroute.agent.imds;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds IMDS numbering to a spec before the engine sees it. The operator's entries win: their
 * addresses are kept as they are and IMDS only fills a missing interfaceId, deviceIndex or
 * networkCard; MACs the operator did not list are added with no addresses (numbering only).
 * The input spec is not modified; the same inputs always give an equal spec (stable order), so
 * a re-merge never looks like a config change.
 */
public final class HintMerger {
  private static final ObjectMapper JSON = new ObjectMapper();

  public NodeNetworkConfigSpec merge(NodeNetworkConfigSpec spec, List<InterfaceAddresses> hints) {
    if (hints.isEmpty()) {
      return spec;
    }
    Map<String, InterfaceAddresses> byMac = new LinkedHashMap<>();
    for (InterfaceAddresses a : spec.getAddresses()) {
      byMac.put(key(a.getMac()), copy(a));
    }
    for (InterfaceAddresses h : hints) {
      InterfaceAddresses a = byMac.computeIfAbsent(key(h.getMac()), k -> new InterfaceAddresses(k, List.of()));
      if (a.getInterfaceId() == null) {
        a.setInterfaceId(h.getInterfaceId());
      }
      if (a.getDeviceIndex() == null) {
        a.setDeviceIndex(h.getDeviceIndex());
      }
      if (a.getNetworkCard() == null) {
        a.setNetworkCard(h.getNetworkCard());
      }
    }
    NodeNetworkConfigSpec merged = deepCopy(spec);
    merged.setAddresses(new ArrayList<>(byMac.values()));
    return merged;
  }

  private static String key(String mac) {
    return mac == null ? "" : mac.toLowerCase(Locale.ROOT);
  }

  private static InterfaceAddresses copy(InterfaceAddresses a) {
    InterfaceAddresses c = new InterfaceAddresses(a.getMac(), a.getAddresses() == null ? List.of() : a.getAddresses());
    c.setInterfaceId(a.getInterfaceId());
    c.setDeviceIndex(a.getDeviceIndex());
    c.setNetworkCard(a.getNetworkCard());
    return c;
  }

  /** A deep copy that keeps every field, including ones added to the API later. */
  private static NodeNetworkConfigSpec deepCopy(NodeNetworkConfigSpec s) {
    return JSON.convertValue(s, NodeNetworkConfigSpec.class);
  }
}
