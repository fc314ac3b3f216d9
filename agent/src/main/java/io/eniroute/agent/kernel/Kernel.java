package io.eniroute.agent.kernel;

import java.util.List;
import java.util.Map;

/** One network namespace's routing state, read and written through iproute2 and sysctls. */
public interface Kernel extends AutoCloseable {
  /** Reads links, IPv4 addresses, rules, routes of all tables and the per-interface sysctls. */
  KernelState observe();

  /** Only the per-interface sysctls (cheaper than {@link #observe()}, for a short-period watch). */
  default Map<String, String> sysctls() {
    return observe().sysctls();
  }

  /**
   * Runs iproute2 batch lines (without the leading {@code ip}) in one process. Without
   * {@code force} it stops at the first failing line; with it, every line runs (used to undo).
   */
  BatchResult batch(List<String> lines, boolean force);

  /** Writes sysctls ({@code net/ipv4/conf/IF/NAME} -> value) in one go; throws {@link KernelException} on failure. */
  void writeSysctls(Map<String, String> values);

  /** Releases what the kernel access keeps running between calls (nothing by default). */
  @Override
  default void close() {}

  /** The namespace name, or null for the host's own namespace. */
  String netns();

  /** How a command is shown to a person: {@code ip -n NS} or {@code ip}. */
  default String ipPrefix() {
    return netns() == null ? "ip" : "ip -n " + netns();
  }
}
