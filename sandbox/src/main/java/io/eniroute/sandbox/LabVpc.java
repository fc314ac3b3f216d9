package io.eniroute.sandbox;

import io.eniroute.lab.Cmd;
import io.eniroute.lab.Lab;
import io.eniroute.lab.VpcCniActor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link Vpc} on the lab module's {@link Lab}. */
public final class LabVpc implements Vpc {
  private final Lab lab;
  private final List<String> namespaces = new ArrayList<>();

  public LabVpc(Lab lab) {
    this.lab = lab;
    namespaces.add(lab.vpcNamespace());
    namespaces.add(lab.clientNamespace());
  }

  public static LabVpc create() {
    return new LabVpc(Lab.create());
  }

  @Override
  public synchronized String addNode(String node) {
    String ns = lab.addNode(node);
    namespaces.add(ns);
    return ns;
  }

  @Override
  public void attachEni(String node, String ifname, String mac) {
    lab.attachEni(node, ifname, mac);
  }

  @Override
  public void detachEni(String node, String mac) {
    lab.detachEni(mac);
  }

  @Override
  public void assignAddress(String node, String mac, String addr) {
    lab.assignAddress(node, mac, addr);
  }

  /**
   * The lab has no unassign yet: remove the address from the ENI's source/destination set and
   * the gateway's neighbour table directly (the lab's naming: set own_&lt;port&gt;, port with '_').
   */
  @Override
  public void unassignAddress(String node, String mac, String addr) {
    Lab.Eni eni = lab.enis(node).stream().filter(e -> e.mac().equals(mac)).findFirst().orElse(null);
    if (eni == null) {
      return;
    }
    String set = "own_" + eni.port().replace('-', '_');
    Cmd.run(List.of("ip", "netns", "exec", lab.vpcNamespace(), "nft", "delete", "element", "bridge", "vpc", set,
        "{ " + addr + " }"), 10_000);
    Cmd.run(List.of("ip", "-n", lab.vpcNamespace(), "neigh", "del", addr, "dev", "br0"), 10_000);
    synchronized (lab) {
      eni.addresses().remove(addr);
    }
  }

  @Override
  public boolean clientReaches(String addr) {
    return lab.pingFromClient(addr, 1, Duration.ofSeconds(1));
  }

  @Override
  public String clientAddress() {
    return Lab.CLIENT;
  }

  @Override
  public String ip(String node, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", lab.netns(node)));
    cmd.addAll(List.of(args));
    return Cmd.check(cmd.toArray(String[]::new));
  }

  @Override
  public VpcCniActor vpcCni(String node, String primaryIfname) {
    return new VpcCniActor(lab, node, primaryIfname);
  }

  @Override
  public synchronized List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  @Override
  public void close() {
    lab.close();
  }
}
