package io.eniroute.agent.engine;

import io.eniroute.lab.Lab;
import java.util.ArrayList;
import java.util.List;

/** Test nodes in a lab: N ENIs named eth0.. with M addresses each, EC2 mapping recorded. */
final class LabNodes {
  private LabNodes() {}

  /** Interface i, address j: 10.0.0.(10 + 10*i + j). */
  static String addr(int i, int j) {
    return "10.0.0." + (10 + 10 * i + j);
  }

  /** Creates the node and its ENIs; returns every address per interface. */
  static List<List<String>> node(Lab lab, String node, int interfaces, int addressesEach) {
    lab.addNode(node);
    List<List<String>> all = new ArrayList<>();
    for (int i = 0; i < interfaces; i++) {
      String mac = lab.macFor(i);
      lab.attachEni(node, "eth" + i, mac);
      List<String> addrs = new ArrayList<>();
      for (int j = 0; j < addressesEach; j++) {
        addrs.add(addr(i, j));
      }
      lab.assignAddresses(node, mac, addrs);
      all.add(addrs);
    }
    return all;
  }
}
