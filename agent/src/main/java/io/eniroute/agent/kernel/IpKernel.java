package io.eniroute.agent.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real kernel through iproute2. Observing asks a long-lived {@code ip -json -batch -} for the
 * four dumps and, in another namespace, a long-lived shell there for the sysctls (in the host's
 * namespace they are read from /proc/sys directly): on a no-op pass, starting those processes
 * would cost more than the dumps. If they cannot answer, one-shot processes observe instead (and
 * fail with iproute2's own message). Writes are one-shot processes: one {@code ip -batch} per change.
 */
public final class IpKernel implements Kernel {
  /** Longer than the agent's default 60 s resync, so a running agent keeps its co-processes. */
  public static final long DEFAULT_SESSION_IDLE_MILLIS = 5 * 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(IpKernel.class);
  private static final String END = "__eniroute_end__";
  static final List<String> SYSCTLS = List.of("rp_filter", "arp_ignore", "arp_announce");
  private static final Pattern FAILED_LINE = Pattern.compile("Command failed -:(\\d+)");
  private static final Path PROC_CONF = Path.of("/proc/sys/net/ipv4/conf");
  private static final String NSENTER = findNsenter();
  /** One line for the namespace's shell: builtins only (no process per file), "path:value" per sysctl. */
  private static final String SYSCTL_SCRIPT = "for f in " + String.join(" ",
      SYSCTLS.stream().map(n -> PROC_CONF + "/*/" + n).toList())
      // dash's read returns 1 on /proc/sys files (short read) although it sets v: test v instead
      + "; do v=; read -r v < \"$f\"; [ -n \"$v\" ] && echo \"$f:$v\"; done 2>/dev/null; echo " + END + "\n";

  private final String netns;
  private final ProcessRunner runner;
  /**
   * Where host-namespace sysctls are written. In a non-privileged pod /proc/sys is read-only, so
   * the chart mounts the node's /proc/sys/net writable elsewhere and names it in ENIROUTE_PROC_SYS.
   */
  private final Path hostProcSys =
      Path.of(System.getenv().getOrDefault("ENIROUTE_PROC_SYS", "/proc/sys"));
  private final IpJsonParser parser = new IpJsonParser();
  private final CoProcess ipSession;
  private final CoProcess sysctlSession;
  /** The namespace the co-processes entered (its nsfs inode): a namespace re-created under the same name is another one. */
  private Object sessionNamespace;

  /**
   * @param netns a named network namespace ({@code ip netns}), or null for the host's own
   * @param sessionIdleMillis how long the observation co-processes stay up without a request
   */
  public IpKernel(String netns, ProcessRunner runner, long sessionIdleMillis) {
    this.netns = netns;
    this.runner = runner;
    this.ipSession = runner.coProcess(ip("-4", "-d", "-N", "-json", "-batch", "-"), sessionIdleMillis);
    this.sysctlSession = netns == null ? null : runner.coProcess(inNetns("sh"), sessionIdleMillis);
  }

  public IpKernel(String netns, ProcessRunner runner) {
    this(netns, runner, DEFAULT_SESSION_IDLE_MILLIS);
  }

  public IpKernel(String netns) {
    this(netns, new ProcessRunner());
  }

  @Override
  public String netns() {
    return netns;
  }

  @Override
  public KernelState observe() {
    try {
      return observeWarm();
    } catch (KernelException e) {
      close(); // neither may keep an unread answer
      LOG.debug("observation co-processes failed ({}); observing with one-shot processes", e.getMessage());
      return observeOnce();
    }
  }

  private synchronized KernelState observeWarm() {
    Object ns = namespaceIdentity();
    if (!Objects.equals(ns, sessionNamespace)) {
      close();
      sessionNamespace = ns;
    }
    // both requests go out before either answer is read: the two work (or start) at the same time
    if (sysctlSession != null) {
      sysctlSession.send(SYSCTL_SCRIPT);
    }
    ipSession.send(String.join("\n", IpJsonParser.COMMANDS) + "\n");
    List<String> dumps = ipSession.receive(l -> l.size() == IpJsonParser.COMMANDS.size());
    Map<String, String> sysctls = sysctlSession == null ? readHostSysctls()
        : parseSysctls(sysctlSession.receive(l -> !l.isEmpty() && END.equals(l.get(l.size() - 1))));
    IpJsonParser.Parsed p = parser.parse(String.join("\n", dumps));
    return new KernelState(p.links(), p.addresses(), p.rules(), p.routes(), sysctls);
  }

  /** The sysctls alone: /proc/sys in the host's namespace, the namespace's shell otherwise. */
  @Override
  public synchronized Map<String, String> sysctls() {
    if (sysctlSession == null) {
      return readHostSysctls();
    }
    Object ns = namespaceIdentity();
    if (!Objects.equals(ns, sessionNamespace)) {
      close();
      sessionNamespace = ns;
    }
    sysctlSession.send(SYSCTL_SCRIPT);
    return parseSysctls(sysctlSession.receive(l -> !l.isEmpty() && END.equals(l.get(l.size() - 1))));
  }

  /** Stops the observation co-processes (they also stop by themselves when idle). */
  @Override
  public synchronized void close() {
    ipSession.close();
    if (sysctlSession != null) {
      sysctlSession.close();
    }
  }

  private Object namespaceIdentity() {
    if (netns == null) {
      return null;
    }
    try {
      return Files.getAttribute(Path.of("/run/netns", netns), "unix:ino");
    } catch (IOException | UnsupportedOperationException e) {
      return null; // gone: the co-process fails to enter it and the one-shot path reports why
    }
  }

  private KernelState observeOnce() {
    List<String> argv = ip("-4", "-d", "-N", "-json", "-batch", "-");
    ProcessRunner.Running ipRun = runner.start(argv, String.join("\n", IpJsonParser.COMMANDS) + "\n");
    // grep straight from nsenter (no shell): one exec fewer on the no-op path
    ProcessRunner.Running sysRun = netns == null ? null : runner.start(inNetns("grep", "-r",
        "--include=rp_filter", "--include=arp_ignore", "--include=arp_announce", ".", PROC_CONF + "/"), null);
    ProcessRunner.Result ipResult = ipRun.await();
    if (ipResult.exit() != 0) {
      throw new KernelException(String.join(" ", argv) + " failed: " + ipResult.err().strip());
    }
    Map<String, String> sysctls = sysRun == null ? readHostSysctls() : parseSysctls(sysRun.await());
    IpJsonParser.Parsed p = parser.parse(ipResult.out());
    return new KernelState(p.links(), p.addresses(), p.rules(), p.routes(), sysctls);
  }

  @Override
  public BatchResult batch(List<String> lines, boolean force) {
    if (lines.isEmpty()) {
      return new BatchResult(0, -1, null);
    }
    List<String> argv = force ? ip("-force", "-batch", "-") : ip("-batch", "-");
    ProcessRunner.Result r = runner.run(argv, String.join("\n", lines) + "\n");
    if (r.exit() == 0) {
      return new BatchResult(lines.size(), -1, null);
    }
    Matcher m = FAILED_LINE.matcher(r.err());
    int failed = m.find() ? Integer.parseInt(m.group(1)) - 1 : 0;
    String msg = r.err().replaceAll("Command failed -:\\d+", "").strip().replace('\n', ' ');
    return new BatchResult(force ? lines.size() : failed, failed, msg.isEmpty() ? "exit " + r.exit() : msg);
  }

  @Override
  public void writeSysctls(Map<String, String> values) {
    if (values.isEmpty()) {
      return;
    }
    if (netns == null) {
      for (Map.Entry<String, String> e : values.entrySet()) {
        try {
          Files.writeString(hostProcSys.resolve(e.getKey()), e.getValue());
        } catch (IOException ex) {
          throw new KernelException("cannot write " + e.getKey() + ": " + ex.getMessage(), ex);
        }
      }
      return;
    }
    List<String> argv = inNetns("sh", "-c",
        "while [ $# -gt 0 ]; do printf %s \"$2\" > \"/proc/sys/$1\" || exit 1; shift 2; done", "sh");
    values.forEach((k, v) -> {
      argv.add(k);
      argv.add(v);
    });
    ProcessRunner.Result r = runner.run(argv, null);
    if (r.exit() != 0) {
      throw new KernelException("cannot write sysctls in " + netns + ": " + r.err().strip());
    }
  }

  /**
   * A command inside the namespace. {@code nsenter --net} only switches the network namespace;
   * {@code ip netns exec} also unshares the mount namespace and remounts /sys, which costs a
   * multiple of the time, so it is only the fallback. /proc/sys/net follows the network namespace.
   */
  private List<String> inNetns(String... command) {
    List<String> argv = new ArrayList<>();
    Path handle = Path.of("/run/netns", netns);
    if (NSENTER != null && Files.exists(handle)) {
      argv.addAll(List.of(NSENTER, "--net=" + handle));
    } else {
      argv.addAll(List.of("ip", "netns", "exec", netns));
    }
    argv.addAll(List.of(command));
    return argv;
  }

  private static String findNsenter() {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (Files.isExecutable(Path.of(dir, "nsenter"))) {
        return dir + "/nsenter";
      }
    }
    return null;
  }

  private List<String> ip(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("ip");
    if (netns != null) {
      argv.add("-n");
      argv.add(netns);
    }
    argv.addAll(List.of(args));
    return argv;
  }

  private static Map<String, String> parseSysctls(ProcessRunner.Result r) {
    return parseSysctls(List.of(r.out().split("\n")));
  }

  private static Map<String, String> parseSysctls(List<String> lines) {
    Map<String, String> out = new HashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.startsWith("/proc/sys/")) {
        out.put(line.substring("/proc/sys/".length(), colon), line.substring(colon + 1).strip());
      }
    }
    return out;
  }

  private static Map<String, String> readHostSysctls() {
    Map<String, String> out = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC_CONF)) {
      for (Path dir : dirs) {
        for (String name : SYSCTLS) {
          try {
            out.put("net/ipv4/conf/" + dir.getFileName() + "/" + name, Files.readString(dir.resolve(name)).strip());
          } catch (IOException ignored) {
            // the interface went away between listing and reading
          }
        }
      }
    } catch (IOException e) {
      throw new KernelException("cannot read " + PROC_CONF + ": " + e.getMessage(), e);
    }
    return out;
  }
}
