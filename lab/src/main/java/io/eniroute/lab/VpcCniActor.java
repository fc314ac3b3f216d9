package io.eniroute.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The AWS VPC CNI as a co-tenant on one lab node: what ipamd and the CNI plugin leave in the host's
 * kernel, so that eniroute is tested beside it. Modelled on aws/amazon-vpc-cni-k8s:
 *
 * <ul>
 *   <li>pkg/networkutils/network.go, {@code setupENINetwork}: an ENI of ipamd's at device index D is set
 *       up, gets its primary address, and table {@code D+1} gets {@code <gw>/32 dev ethN scope link} and
 *       {@code default via <gw> dev ethN}; the main-table subnet route the kernel added for it is deleted.
 *   <li>cmd/routed-eni-cni-plugin/driver/driver.go, {@code SetupPodNetwork}: a pod gets a veth whose
 *       host end is {@code eni<hash>}; in the pod {@code <ip>/32}, {@code 169.254.1.1 dev eth0 scope link},
 *       {@code default via 169.254.1.1} and a permanent neighbour for 169.254.1.1 with the host veth's MAC;
 *       on the host {@code <ip>/32 dev eni<hash> scope link} in main, {@code to <ip> lookup main} at
 *       priority 512 and, for a pod whose address lives on a secondary ENI, {@code from <ip> lookup D+1}
 *       at priority 1536. ipamd also turns on ip_forward.
 * </ul>
 *
 * <p>Pod addresses are assigned in the lab's EC2 view ({@link Lab#assignAddress}) to the ENI that holds
 * them, as ipamd assigns them in EC2 (warm pool on the primary, or its own ENI). Every pod runs a TCP
 * server that answers each connection with its own name, so a test knows the POD answered, not the host.
 */
public final class VpcCniActor implements AutoCloseable {
  /** The pod-side gateway every VPC CNI pod uses (a link-local address answered by a static neighbour). */
  public static final String POD_GATEWAY = "169.254.1.1";
  public static final int TO_POD_PRIORITY = 512;
  public static final int FROM_POD_PRIORITY = 1536;
  public static final int ECHO_PORT = 7007;

  /** One pod: its name (what its server answers), namespace, address, host veth and the ENI's device index. */
  public record Pod(String name, String netns, String ip, String hostVeth, int deviceIndex) {}

  private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3"))
      ? "/usr/bin/python3" : "python3";
  private final Lab lab;
  private final String node;
  private final Map<Integer, String> eniByDevice = new TreeMap<>();
  private final List<Pod> pods = new ArrayList<>();
  private final List<Process> servers = new ArrayList<>();

  /** The co-tenant on {@code node}; {@code primaryIfname} is the node's device-index-0 ENI. */
  public VpcCniActor(Lab lab, String node, String primaryIfname) {
    this.lab = lab;
    this.node = node;
    eniByDevice.put(0, primaryIfname);
    lab.exec(node, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
  }

  /** ipamd attaches an ENI of its own at {@code deviceIndex} with {@code primaryIp}, set up as setupENINetwork does. */
  public Lab.Eni attachEni(String ifname, String mac, int deviceIndex, String primaryIp) {
    Lab.Eni eni = lab.attachEni(node, ifname, mac);
    lab.assignAddress(node, mac, primaryIp);
    long table = deviceIndex + 1;
    lab.ipBatch(node,
        "link set " + ifname + " up",
        "addr add " + primaryIp + "/" + Lab.PREFIX + " dev " + ifname,
        "route add " + Lab.GATEWAY + "/32 dev " + ifname + " scope link table " + table,
        "route add default via " + Lab.GATEWAY + " dev " + ifname + " table " + table,
        "route del " + Lab.SUBNET + " dev " + ifname + " table main");
    eniByDevice.put(deviceIndex, ifname);
    return eni;
  }

  /** A pod with {@code ip}, an address ipamd took from the ENI at {@code deviceIndex}. */
  public Pod addPod(String name, String ip, int deviceIndex) {
    String ifname = eniByDevice.get(deviceIndex);
    if (ifname == null) {
      throw new LabException("the co-tenant has no ENI at device index " + deviceIndex);
    }
    lab.enis(node).stream().filter(e -> e.ifname().equals(ifname)).findFirst()
        .ifPresent(e -> lab.assignAddress(node, e.mac(), ip));
    String ns = lab.addWorkloadNamespace(name);
    String veth = "eni" + Integer.toHexString((name + ip).hashCode() & 0xfffffff);
    lab.ipBatch(node, "link add " + veth + " type veth peer name eth0 netns " + ns, "link set " + veth + " up");
    String hostMac = lab.exec(node, "cat", "/sys/class/net/" + veth + "/address").strip();
    Cmd.run(List.of("ip", "-n", ns, "-batch", "-"), String.join("\n",
        "link set eth0 up",
        "addr add " + ip + "/32 dev eth0",
        "route add " + POD_GATEWAY + " dev eth0 scope link",
        "route add default via " + POD_GATEWAY + " dev eth0",
        "neigh add " + POD_GATEWAY + " lladdr " + hostMac + " dev eth0 nud permanent") + "\n", 30_000).check();
    List<String> host = new ArrayList<>(List.of(
        "route add " + ip + "/32 dev " + veth + " scope link",
        "rule add priority " + TO_POD_PRIORITY + " to " + ip + "/32 lookup main"));
    if (deviceIndex > 0) {
      host.add("rule add priority " + FROM_POD_PRIORITY + " from " + ip + "/32 lookup " + (deviceIndex + 1));
    }
    lab.ipBatch(node, host.toArray(String[]::new));
    Pod pod = new Pod(name, ns, ip, veth, deviceIndex);
    pods.add(pod);
    startServer(pod);
    return pod;
  }

  public List<Pod> pods() {
    return List.copyOf(pods);
  }

  /** The reply to a TCP connection from outside the VPC (the lab's client) to {@code ip}: a pod's name, or null. */
  public String askFromClient(String ip) {
    return ask(lab.clientNamespace(), ip);
  }

  /** The reply to a TCP connection from the node itself to {@code ip}: a pod's name, or null. */
  public String askFromNode(String ip) {
    return ask(lab.netns(node), ip);
  }

  /**
   * The co-tenant's footprint in the host kernel: its rules (priorities 512 and 1536), the main
   * routes to its pods' veths and its ENI tables, each as iproute2 prints it. Equal before and
   * after means nobody touched them.
   */
  public List<String> hostRouting() {
    List<String> out = new ArrayList<>();
    for (String line : lab.exec(node, "ip", "-4", "rule", "show").split("\n")) {
      if (line.startsWith(TO_POD_PRIORITY + ":") || line.startsWith(FROM_POD_PRIORITY + ":")) {
        out.add(line.strip());
      }
    }
    for (Pod p : pods) {
      out.add(lab.exec(node, "ip", "-4", "route", "show", "table", "main", p.ip() + "/32").strip());
    }
    for (int d : eniByDevice.keySet()) {
      if (d > 0) {
        out.add("table " + (d + 1) + ": " + lab.exec(node, "ip", "-4", "route", "show", "table", String.valueOf(d + 1))
            .strip().replace('\n', ';'));
      }
    }
    return out;
  }

  private void startServer(Pod pod) {
    String code = "import socket,sys\n"
        + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        + "s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16); print('ready', flush=True)\n"
        + "while True:\n"
        + "  c,_=s.accept()\n"
        + "  try: c.sendall((sys.argv[3]+'\\n').encode())\n"
        + "  finally: c.close()\n";
    ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", pod.netns(), PYTHON, "-I", "-S", "-c", code,
        pod.ip(), String.valueOf(ECHO_PORT), pod.name()).redirectErrorStream(true);
    try {
      Process p = pb.start();
      servers.add(p);
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = r.readLine();
      if (!"ready".equals(first)) {
        throw new LabException("the server of pod " + pod.name() + " did not start: " + first);
      }
    } catch (IOException e) {
      throw new LabException("cannot start the server of pod " + pod.name() + ": " + e.getMessage());
    }
  }

  private static String ask(String ns, String ip) {
    String code = "import socket,sys\n"
        + "try:\n"
        + "  c=socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)\n"
        + "  print(c.makefile().readline().strip())\n"
        + "except Exception as e: print('')\n";
    Cmd.Result r = Cmd.run(List.of("ip", "netns", "exec", ns, PYTHON, "-I", "-S", "-c", code, ip,
        String.valueOf(ECHO_PORT)), null, 10_000);
    String out = r.out().strip();
    return out.isEmpty() ? null : out;
  }

  /** Stops the pods' servers (the namespaces go with the lab). */
  @Override
  public void close() {
    for (Process p : servers) {
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    servers.clear();
  }
}
