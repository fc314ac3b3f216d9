package io.eniroute.sandbox;

import io.eniroute.lab.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * When traffic fails, what a person would look at on the node, saved next to the logs: addresses,
 * rules, every table, neighbours, the routing sysctls. Returns the file for the check's message.
 */
final class Diagnostics {
  private Diagnostics() {}

  static Path dump(Sandbox sb, SandboxNode n) {
    StringBuilder b = new StringBuilder();
    for (String[] cmd : List.of(
        new String[] {"ip", "-n", n.netns(), "addr"},
        new String[] {"ip", "-n", n.netns(), "rule"},
        new String[] {"ip", "-n", n.netns(), "route", "show", "table", "all"},
        new String[] {"ip", "-n", n.netns(), "neigh"},
        new String[] {"ip", "netns", "exec", n.netns(), "sh", "-c",
            "grep . /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/arp_ignore /proc/sys/net/ipv4/conf/*/arp_announce"})) {
      Cmd.Result r = Cmd.run(List.of(cmd), 10_000);
      b.append("$ ").append(String.join(" ", cmd)).append('\n').append(r.out()).append(r.err()).append('\n');
    }
    Path file = sb.runDir().resolve("logs").resolve(n.name() + "-diag-"
        + LocalTime.now().format(DateTimeFormatter.ofPattern("HHmmss")) + ".txt");
    try {
      Files.writeString(file, b.toString());
    } catch (IOException e) {
      return null;
    }
    return file;
  }
}
