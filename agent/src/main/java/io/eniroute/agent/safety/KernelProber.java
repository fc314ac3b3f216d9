package io.eniroute.agent.safety;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Probes with the tools a fresh Debian has, inside the target network namespace when one is
 * given: {@code ping -I <source>} for gateways (the policy rule of that source applies),
 * {@code arping -I <if> -s <source>} for gateways by ARP, and bash's {@code /dev/tcp} for TCP
 * connects (Java cannot enter a namespace; outside one it connects itself).
 */
public final class KernelProber implements Prober {
  private final String netns;

  /** @param netns network namespace to probe from, or null for the agent's own */
  public KernelProber(String netns) {
    this.netns = netns;
  }

  @Override
  public ProbeOutcome probe(ProbeTarget target, Duration budget) {
    long start = System.nanoTime();
    String failure;
    if (target instanceof ProbeTarget.Gateway g) {
      failure = ping(g, budget);
    } else if (target instanceof ProbeTarget.GatewayArp a) {
      failure = arping(a, budget);
    } else {
      ProbeTarget.Tcp t = (ProbeTarget.Tcp) target;
      failure = netns == null ? connect(t, budget) : connectInNetns(t, budget);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return failure == null
        ? new ProbeOutcome(target, true, target.describe() + ": ok", millis)
        : new ProbeOutcome(target, false, target.describe() + ": " + failure, millis);
  }

  /** Returns null when the gateway replied, else why not. */
  private String ping(ProbeTarget.Gateway g, Duration budget) {
    long secs = Math.max(1, (budget.toMillis() + 999) / 1000);
    // -w: keep sending (every 0.2 s, so a lost first packet or a slow ARP does not fail it)
    // until one reply or the deadline.
    List<String> cmd = inNetns(List.of("ping", "-n", "-q", "-c", "1", "-i", "0.2", "-w", Long.toString(secs),
        "-I", g.source(), g.gateway()));
    Result r = run(cmd, budget);
    if (r.exit == 0) {
      return null;
    }
    return r.exit == TIMED_OUT || r.exit == 1 ? "no reply in " + secs + "s" : "ping failed: " + r.output;
  }

  private String arping(ProbeTarget.GatewayArp a, Duration budget) {
    long secs = Math.max(1, (budget.toMillis() + 999) / 1000);
    // -f: done at the first reply; one request per second (arping takes no shorter interval).
    List<String> cmd = inNetns(List.of("arping", "-q", "-f", "-c", Long.toString(secs + 1),
        "-w", Long.toString(secs), "-I", a.iface(), "-s", a.source(), a.gateway()));
    Result r = run(cmd, budget);
    if (r.exit == 0) {
      return null;
    }
    return r.exit == TIMED_OUT || r.exit == 1 ? "no ARP reply in " + secs + "s" : "arping failed: " + r.output;
  }

  private String connect(ProbeTarget.Tcp t, Duration budget) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(t.host(), t.port()), (int) Math.max(1, budget.toMillis()));
      return null;
    } catch (java.net.SocketTimeoutException e) {
      return "no answer in " + budget.toMillis() + "ms";
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private String connectInNetns(ProbeTarget.Tcp t, Duration budget) {
    long secs = Math.max(1, (budget.toMillis() + 999) / 1000);
    List<String> cmd = inNetns(List.of("timeout", Long.toString(secs), "bash", "-c",
        "exec 3<>\"/dev/tcp/$0/$1\"", t.host(), Integer.toString(t.port())));
    Result r = run(cmd, budget);
    if (r.exit == 0) {
      return null;
    }
    if (r.exit == TIMED_OUT || r.exit == 124) {
      return "no answer in " + secs + "s";
    }
    return r.output.isBlank() ? "connect failed (exit " + r.exit + ")" : r.output.replaceAll("^bash: (line \\d+: )?", "");
  }

  private List<String> inNetns(List<String> cmd) {
    if (netns == null) {
      return cmd;
    }
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    full.addAll(cmd);
    return full;
  }

  private static final int TIMED_OUT = -1;

  private record Result(int exit, String output) {}

  /** Runs a command, killing it when the budget (plus a little slack) is over or we are interrupted. */
  private static Result run(List<String> cmd, Duration budget) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(127, "cannot run " + cmd.get(0) + ": " + e.getMessage());
    }
    try {
      if (!p.waitFor(budget.toMillis() + 500, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(TIMED_OUT, "");
      }
      return new Result(p.exitValue(), readAll(p.getInputStream()).strip());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(TIMED_OUT, "");
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
