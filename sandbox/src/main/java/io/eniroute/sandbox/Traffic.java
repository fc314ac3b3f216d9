package io.eniroute.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Proof by packets: which of a node's EC2 addresses answer the outside client. */
public final class Traffic {
  private final Vpc vpc;

  public Traffic(Vpc vpc) {
    this.vpc = vpc;
  }

  /** Address -> answered. Up to 3 tries each: the first packet may wait for ARP. */
  public Map<String, Boolean> probe(List<String> addresses) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String a : addresses) {
      boolean ok = false;
      for (int i = 0; i < 3 && !ok; i++) {
        ok = vpc.clientReaches(a);
      }
      out.put(a, ok);
    }
    return out;
  }

  public static List<String> unreachable(Map<String, Boolean> result) {
    return result.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  public static List<String> reachable(Map<String, Boolean> result) {
    return result.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }
}
