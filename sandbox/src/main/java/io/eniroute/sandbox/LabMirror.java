package io.eniroute.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the EC2 hypervisor and VPC fabric: keeps the lab equal to what EC2 reports.
 *
 * <ul>
 *   <li>An instance's boot ENI (device index 0) becomes eth0 in the node namespace with its
 *       primary address and a default route via the gateway, as cloud-init/DHCP leaves a booted
 *       node.
 *   <li>An ENI attached later appears like a hot-plug: eth{deviceIndex}. With {@code hotPlugDhcp}
 *       (an image whose amazon-ec2-net-utils/systemd-networkd configures every ENI) it is up with its
 *       primary address and the subnet prefix route in main, no default route; without it (AL2023,
 *       Bottlerocket: only the primary MAC gets DHCP) it stays down without an address. Secondary
 *       addresses are never put on the interface: that is the agent's job, from the
 *       NodeNetworkConfig spec.
 *   <li>Every private address EC2 assigns to an ENI is taught to the VPC (the source/destination
 *       check lets that ENI use it); unassigned ones are forgotten; detached ENIs are unplugged.
 * </ul>
 * It polls DescribeNetworkInterfaces, like a reconciler of the real fabric would.
 */
public final class LabMirror implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabMirror.class);

  private final Ec2Environment ec2;
  private final Vpc vpc;
  private final Map<String, String> nodeByInstance;
  private final Consumer<String> events;
  /** MAC -> what the lab has for it now. */
  private final Map<String, Ec2Interface> mirrored = new HashMap<>();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lab-mirror");
    t.setDaemon(true);
    return t;
  });
  private final boolean hotPlugDhcp;
  private volatile int changes;

  public LabMirror(Ec2Environment ec2, Vpc vpc, Map<String, String> nodeByInstance, Consumer<String> events) {
    this(ec2, vpc, nodeByInstance, events, true);
  }

  public LabMirror(Ec2Environment ec2, Vpc vpc, Map<String, String> nodeByInstance, Consumer<String> events,
      boolean hotPlugDhcp) {
    this.hotPlugDhcp = hotPlugDhcp;
    this.ec2 = ec2;
    this.vpc = vpc;
    this.nodeByInstance = Map.copyOf(nodeByInstance);
    this.events = events;
  }

  /** Mirrors once now (the boot), then keeps mirroring every {@code periodMillis}. */
  public void start(long periodMillis) {
    sync();
    loop.scheduleWithFixedDelay(() -> {
      try {
        sync();
      } catch (RuntimeException e) {
        log.warn("lab mirror: {}", e.toString());
      }
    }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Lab changes made so far (plugs, unplugs, address (un)assignments). */
  public int changes() {
    return changes;
  }

  /** One pass: make the lab equal to EC2. Synchronized so a test can force a pass. */
  public synchronized void sync() {
    List<Ec2Interface> now = new ArrayList<>(ec2.attachedInterfaces());
    now.sort(java.util.Comparator.comparing((Ec2Interface e) -> String.valueOf(nodeByInstance.get(e.instanceId())))
        .thenComparingInt(Ec2Interface::deviceIndex));
    Set<String> seen = new LinkedHashSet<>();
    for (Ec2Interface eni : now) {
      String node = nodeByInstance.get(eni.instanceId());
      if (node == null) {
        continue; // an instance that is not a sandbox node
      }
      seen.add(eni.mac());
      Ec2Interface before = mirrored.get(eni.mac());
      if (before == null) {
        plug(node, eni);
      } else {
        for (String ip : eni.privateIps()) {
          if (!before.privateIps().contains(ip)) {
            vpc.assignAddress(node, eni.mac(), ip);
            note("%s: EC2 assigned %s to %s (eth%d)", node, ip, eni.id(), eni.deviceIndex());
          }
        }
        for (String ip : before.privateIps()) {
          if (!eni.privateIps().contains(ip)) {
            vpc.unassignAddress(node, eni.mac(), ip);
            note("%s: EC2 unassigned %s from %s (eth%d)", node, ip, eni.id(), eni.deviceIndex());
          }
        }
      }
      mirrored.put(eni.mac(), eni);
    }
    for (Ec2Interface gone : new ArrayList<>(mirrored.values())) {
      if (!seen.contains(gone.mac())) {
        String node = nodeByInstance.get(gone.instanceId());
        vpc.detachEni(node, gone.mac());
        mirrored.remove(gone.mac());
        note("%s: EC2 detached %s: eth%d unplugged", node, gone.id(), gone.deviceIndex());
      }
    }
  }

  private void plug(String node, Ec2Interface eni) {
    String ifname = "eth" + eni.deviceIndex();
    vpc.attachEni(node, ifname, eni.mac());
    for (String ip : eni.privateIps()) {
      vpc.assignAddress(node, eni.mac(), ip);
    }
    if (eni.deviceIndex() > 0 && !hotPlugDhcp) {
      vpc.ip(node, "link", "set", ifname, "down");
      note("%s: ENI %s hot-plugged as %s (%s), down and without address (no DHCP for it); EC2 addresses %s", node,
          eni.id(), ifname, eni.mac(), eni.privateIps());
      return;
    }
    // DHCP's share: the primary address with its prefix route; eth0 also gets the default route.
    vpc.ip(node, "addr", "add", eni.primaryIp() + "/" + Vpc.PREFIX, "dev", ifname);
    if (eni.deviceIndex() == 0) {
      vpc.ip(node, "route", "add", "default", "via", Vpc.GATEWAY, "dev", ifname);
      note("%s: booted with %s (%s) = %s on eth0, default via %s", node, eni.id(), eni.mac(), eni.primaryIp(), Vpc.GATEWAY);
    } else {
      note("%s: ENI %s hot-plugged as %s (%s), DHCP gave it %s; EC2 addresses %s", node, eni.id(), ifname,
          eni.mac(), eni.primaryIp(), eni.privateIps());
    }
  }

  private void note(String format, Object... args) {
    changes++;
    String line = String.format(format, args);
    log.debug(line);
    events.accept(line);
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
