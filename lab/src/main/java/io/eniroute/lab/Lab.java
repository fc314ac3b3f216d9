package io.eniroute.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VPC in network namespaces: one subnet ({@value #SUBNET}) on a bridge in the {@code vpc}
 * namespace with the gateway {@value #GATEWAY}, an outside {@code client} namespace
 * ({@value #CLIENT}) routed through it, and node namespaces whose "ENIs" are veths plugged into
 * the bridge.
 *
 * <p>Like EC2, the fabric delivers by its own address-to-ENI mapping (permanent neighbour entries
 * on the gateway, no ARP flux) and enforces the source/destination check per port with nftables
 * (bridge family): a frame entering from ENI X whose IPv4 or ARP sender is not assigned to X, and
 * a frame leaving toward ENI X whose IPv4 destination is not assigned to X, are counted and
 * dropped. {@link #assignAddress} only records EC2's mapping; configuring the node is the agent's
 * job ({@link #configureNaive} reproduces the seed's hand-made setup).
 *
 * <p>Every name carries a random suffix; everything lives in namespaces the lab made, and
 * {@link #close()} (idempotent, also run by a shutdown hook) deletes them all.
 */
public final class Lab implements AutoCloseable {
  public static final String SUBNET = "10.0.0.0/24";
  public static final int PREFIX = 24;
  public static final String GATEWAY = "10.0.0.1";
  public static final String CLIENT = "198.51.100.2";
  /** The bridge's fixed MAC, so a node's neighbour entry for the gateway never changes. */
  public static final String GATEWAY_MAC = "02:e0:00:00:00:01";

  private static final SecureRandom RANDOM = new SecureRandom();
  /** The system interpreter: a version-manager shim on PATH can take a second to start. */
  private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

  private final String suffix;
  private final String vpc;
  private final String client;
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, String> nodes = new LinkedHashMap<>();
  private final Map<String, Eni> enis = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private int nextPort;
  private boolean closed;

  /** An ENI: its node, its name in the node, its MAC, its bridge port and the addresses EC2 gave it. */
  public record Eni(String node, String ifname, String mac, String port, List<String> addresses) {}

  private Lab() {
    this.suffix = randomHex(3);
    this.vpc = "er-vpc-" + suffix;
    this.client = "er-cli-" + suffix;
    this.shutdownHook = new Thread(this::close, "lab-cleanup-" + suffix);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Builds the VPC and the client. Fails (after cleaning up) when the lab cannot run here. */
  public static Lab create() {
    String why = unavailableReason();
    if (why != null) {
      throw new LabException("the network lab cannot run: " + why);
    }
    Lab lab = new Lab();
    try {
      lab.build();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Why the lab cannot run on this machine, or null when it can (root, ip, nft, ping present). */
  public static String unavailableReason() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:") && !line.split("\\s+")[1].equals("0")) {
          return "not root (network namespaces need CAP_NET_ADMIN); run the tests as root";
        }
      }
    } catch (IOException e) {
      return "cannot read /proc/self/status: " + e.getMessage();
    }
    for (String tool : List.of("ip", "nft", "ping")) {
      if (!onPath(tool)) {
        return tool + " is not installed (run bin/install-tools)";
      }
    }
    return null;
  }

  private void build() {
    addNamespace(vpc);
    addNamespace(client);
    ip(vpc, "link set lo up",
        "link add br0 address " + GATEWAY_MAC + " type bridge",
        "link set br0 up",
        "addr add " + GATEWAY + "/" + PREFIX + " dev br0",
        "link add c0 type veth peer name c1 netns " + client,
        "link set c0 up",
        "addr add 198.51.100.1/24 dev c0");
    ip(client, "link set lo up", "link set c1 up", "addr add " + CLIENT + "/24 dev c1",
        "route add default via 198.51.100.1");
    String nft = """
        table bridge vpc {
          chain pre { type filter hook prerouting priority 0; policy accept; }
          chain post { type filter hook postrouting priority 0; policy accept; }
        }
        """;
    Cmd.run(List.of("ip", "netns", "exec", vpc, "sh", "-c",
        "echo 1 > /proc/sys/net/ipv4/ip_forward && nft -f -"), nft, 30_000).check();
  }

  /** Creates a node namespace (loopback up, all.rp_filter=0 so per-interface values decide). */
  public synchronized String addNode(String name) {
    requireOpen();
    if (nodes.containsKey(name)) {
      throw new LabException("node " + name + " exists already");
    }
    String ns = "er-" + name + "-" + suffix;
    addNamespace(ns);
    nodes.put(name, ns);
    Cmd.run("ip", "netns", "exec", ns, "sh", "-c",
        "ip link set lo up && echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter").check();
    return ns;
  }

  /**
   * A namespace for a co-tenant's workload (a pod), named {@code er-<name>-<suffix>}, deleted by
   * {@link #close()} like every other namespace of the lab.
   */
  public synchronized String addWorkloadNamespace(String name) {
    String ns = "er-" + name + "-" + suffix;
    addNamespace(ns);
    Cmd.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up").check();
    return ns;
  }

  /** The network namespace of a node (what {@code --netns} takes). */
  public synchronized String netns(String node) {
    String ns = nodes.get(node);
    if (ns == null) {
      throw new LabException("no node " + node + " in this lab");
    }
    return ns;
  }

  public String vpcNamespace() {
    return vpc;
  }

  public String clientNamespace() {
    return client;
  }

  /**
   * Plugs an ENI into a node: a veth whose node end is {@code ifname} (up, no address, with that
   * MAC) and whose other end is a bridge port in the VPC with an empty source/destination set.
   */
  public synchronized Eni attachEni(String node, String ifname, String mac) {
    String ns = netns(node);
    if (enis.containsKey(mac)) {
      throw new LabException("MAC " + mac + " is attached already");
    }
    String port = "p" + (nextPort++) + "-" + suffix;
    ip(vpc, "link add " + port + " type veth peer name " + ifname + " address " + mac + " netns " + ns,
        "link set " + port + " master br0 up");
    ip(ns, "link set " + ifname + " up");
    String set = "own_" + portKey(port);
    nft("add set bridge vpc " + set + " { type ipv4_addr; }\n"
        + "add counter bridge vpc src_" + portKey(port) + "\n"
        + "add counter bridge vpc dst_" + portKey(port) + "\n"
        + "add rule bridge vpc pre iifname \"" + port + "\" ip saddr != @" + set
        + " counter name \"src_" + portKey(port) + "\" drop\n"
        + "add rule bridge vpc pre iifname \"" + port + "\" arp saddr ip != @" + set
        + " counter name \"src_" + portKey(port) + "\" drop\n"
        + "add rule bridge vpc post oifname \"" + port + "\" ip daddr != @" + set
        + " counter name \"dst_" + portKey(port) + "\" drop\n");
    Eni eni = new Eni(node, ifname, mac, port, new ArrayList<>());
    enis.put(mac, eni);
    return eni;
  }

  /**
   * A locally administered MAC for the n-th ENI of the most recently added node (the usual
   * add-node-then-attach flow). With several nodes, prefer {@link #macFor(String, int)}.
   */
  public String macFor(int n) {
    return String.format("02:%s:%s:%s:%02x:%02x", suffix.substring(0, 2), suffix.substring(2, 4),
        suffix.substring(4, 6), nodes.size() & 0xff, n & 0xff);
  }

  /** A locally administered MAC for the n-th ENI of a given node, unique within this lab. */
  public synchronized String macFor(String node, int n) {
    netns(node);
    int index = new ArrayList<>(nodes.keySet()).indexOf(node) + 1;
    return String.format("02:%s:%s:%s:%02x:%02x", suffix.substring(0, 2), suffix.substring(2, 4),
        suffix.substring(4, 6), index & 0xff, n & 0xff);
  }

  /** Unplugs an ENI (both veth ends disappear, as when EC2 detaches it). */
  public synchronized void detachEni(String mac) {
    Eni eni = eni(mac);
    ip(vpc, "link del " + eni.port());
    for (String a : eni.addresses()) {
      Cmd.run("ip", "-n", vpc, "neigh", "del", a, "dev", "br0");
    }
    nft("flush set bridge vpc own_" + portKey(eni.port()));
    enis.remove(mac);
  }

  /** Records EC2's view: the VPC delivers {@code addr} to this ENI and lets it send from it. */
  public void assignAddress(String node, String mac, String addr) {
    assignAddresses(node, mac, List.of(addr));
  }

  /** {@link #assignAddress} for many addresses at once (one nft and one ip process). */
  public synchronized void assignAddresses(String node, String mac, List<String> addrs) {
    Eni eni = eni(mac);
    if (!eni.node().equals(node)) {
      throw new LabException("MAC " + mac + " belongs to node " + eni.node() + ", not " + node);
    }
    nft("add element bridge vpc own_" + portKey(eni.port()) + " { " + String.join(", ", addrs) + " }\n");
    List<String> lines = new ArrayList<>();
    for (String a : addrs) {
      lines.add("neigh replace " + a + " lladdr " + mac + " dev br0 nud permanent");
    }
    ip(vpc, lines.toArray(String[]::new));
    eni.addresses().addAll(addrs);
  }

  /** The ENIs of a node in the order they were attached. */
  public synchronized List<Eni> enis(String node) {
    return enis.values().stream().filter(e -> e.node().equals(node)).toList();
  }

  /**
   * The seed's naive setup, as a person would type it: every assigned address on its interface
   * with the subnet prefix (so main gets one subnet route per interface) and the default route
   * via the first ENI.
   */
  public synchronized void configureNaive(String node) {
    List<Eni> list = enis(node);
    List<String> lines = new ArrayList<>();
    for (Eni e : list) {
      for (String a : e.addresses()) {
        lines.add("addr add " + a + "/" + PREFIX + " dev " + e.ifname());
      }
    }
    if (!list.isEmpty()) {
      lines.add("route add default via " + GATEWAY + " dev " + list.get(0).ifname());
    }
    ip(netns(node), lines.toArray(String[]::new));
  }

  /** Pings {@code addr} from the client; true when all {@code count} replies came back in time. */
  public boolean pingFromClient(String addr, int count, Duration timeout) {
    return ping(client, null, addr, count, timeout);
  }

  /** Pings the client from a node with source address {@code srcAddr} ({@code ping -I}). */
  public boolean pingFromNode(String node, String srcAddr, int count, Duration timeout) {
    return ping(netns(node), srcAddr, CLIENT, count, timeout);
  }

  private static boolean ping(String ns, String src, String dst, int count, Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, "ping", "-n", "-q",
        "-c", String.valueOf(count), "-i", "0.2", "-w", String.valueOf(Math.max(1, timeout.toSeconds()))));
    if (src != null) {
      argv.addAll(List.of("-I", src));
    }
    argv.add(dst);
    return Cmd.run(argv, null, timeout.toMillis() + 5_000).ok();
  }

  /**
   * Opens a TCP connection from the client to {@code addr:port} on a node and checks that a line
   * comes back echoed (a one-shot python3 listener runs in the node for the duration).
   */
  public boolean tcpEchoFromClient(String node, String addr, int port, Duration timeout) {
    String server = "import socket,sys\n"
        + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        + "s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); print('ready', flush=True)\n"
        + "s.settimeout(float(sys.argv[3]))\n"
        + "try:\n  c,_=s.accept(); c.sendall(c.recv(100))\nexcept Exception: pass\n";
    String clientCode = "import socket,sys\n"
        + "c=socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))\n"
        + "c.sendall(b'eniroute\\n'); d=b''\n"
        + "while len(d)<9:\n  b=c.recv(100)\n  if not b: break\n  d+=b\n"
        + "sys.exit(0 if d==b'eniroute\\n' else 1)\n";
    String secs = String.valueOf(Math.max(1, timeout.toSeconds()));
    ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", netns(node), PYTHON, "-I", "-S", "-c", server,
        addr, String.valueOf(port), secs);
    pb.redirectErrorStream(true);
    Process listener;
    try {
      listener = pb.start();
    } catch (IOException e) {
      throw new LabException("cannot start the TCP listener: " + e.getMessage());
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
      String first = r.readLine();
      if (!"ready".equals(first)) {
        throw new LabException("TCP listener in " + node + " did not start: " + first);
      }
      return Cmd.run(List.of("ip", "netns", "exec", client, PYTHON, "-I", "-S", "-c", clientCode, addr,
          String.valueOf(port), secs), null, timeout.toMillis() + 5_000).ok();
    } catch (IOException e) {
      throw new LabException("TCP listener failed: " + e.getMessage());
    } finally {
      listener.destroyForcibly();
      try {
        listener.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Frames from this ENI dropped because their IPv4/ARP sender is not assigned to it. */
  public long sourceCheckDrops(String mac) {
    return counter("src_" + portKey(eni(mac).port()));
  }

  /** Frames toward this ENI dropped because their IPv4 destination is not assigned to it. */
  public long destinationCheckDrops(String mac) {
    return counter("dst_" + portKey(eni(mac).port()));
  }

  private long counter(String name) {
    String out = Cmd.run("ip", "netns", "exec", vpc, "nft", "list", "counter", "bridge", "vpc", name).check().out();
    Matcher m = PACKETS.matcher(out);
    if (!m.find()) {
      throw new LabException("cannot read nft counter " + name + ": " + out);
    }
    return Long.parseLong(m.group(1));
  }

  /** Runs a command inside a node's namespace and returns its stdout (fails on non-zero exit). */
  public String exec(String node, String... argv) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns(node)));
    full.addAll(List.of(argv));
    return Cmd.run(full, null, 30_000).check().out();
  }

  /** Runs iproute2 batch lines (without the leading {@code ip}) in a node's namespace. */
  public void ipBatch(String node, String... lines) {
    ip(netns(node), lines);
  }

  /** Deletes every namespace this lab made (safe to call twice, and after a partial setup). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      Cmd.run("ip", "netns", "del", namespaces.get(i));
    }
    namespaces.clear();
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is shutting down already; the hook is running or ran
      }
    }
  }

  private synchronized Eni eni(String mac) {
    Eni eni = enis.get(mac);
    if (eni == null) {
      throw new LabException("no ENI with MAC " + mac + " in this lab");
    }
    return eni;
  }

  private void addNamespace(String ns) {
    requireOpen();
    Cmd.run("ip", "netns", "add", ns).check();
    namespaces.add(ns);
  }

  private void requireOpen() {
    if (closed) {
      throw new LabException("the lab is closed");
    }
  }

  private static void ip(String ns, String... lines) {
    Cmd.run(List.of("ip", "-n", ns, "-batch", "-"), String.join("\n", lines) + "\n", 60_000).check();
  }

  private void nft(String script) {
    Cmd.run(List.of("ip", "netns", "exec", vpc, "nft", "-f", "-"), script, 60_000).check();
  }

  private String portKey(String port) {
    return port.replace('-', '_');
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
