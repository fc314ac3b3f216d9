package io.eniroute.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.lab.NetnsRequired;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The long-lived observation processes must never show a stale or wrong namespace: a namespace
 * re-created under the same name, a killed co-process and an idle stop all still give the truth.
 */
@ExtendWith(NetnsRequired.class)
class IpKernelSessionTest {
  private final ProcessRunner runner = new ProcessRunner();
  private final String ns = "eks" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void removeNamespace() {
    runner.run(List.of("ip", "netns", "del", ns), null);
  }

  private void namespaceWith(String address) {
    run("ip", "netns", "add", ns);
    run("ip", "-n", ns, "link", "add", "e0", "type", "veth", "peer", "name", "e0p");
    run("ip", "-n", ns, "link", "set", "e0", "up");
    run("ip", "-n", ns, "addr", "add", address + "/24", "dev", "e0");
    run("ip", "netns", "exec", ns, "sh", "-c", "echo 2 > /proc/sys/net/ipv4/conf/e0/rp_filter");
  }

  private void run(String... argv) {
    ProcessRunner.Result r = runner.run(List.of(argv), null);
    assertThat(r.exit()).as("%s: %s", String.join(" ", argv), r.err()).isZero();
  }

  private static List<String> addresses(KernelState s) {
    return s.addresses().stream().map(Address::address).toList();
  }

  /** This JVM's children inside the namespace (nsenter and ip -n switch namespace, so the command line may not name it). */
  private List<ProcessHandle> coProcesses() throws Exception {
    String inode = "net:[" + Files.getAttribute(Path.of("/run/netns", ns), "unix:ino") + "]";
    return ProcessHandle.current().children().filter(p -> {
      try {
        return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "ns", "net")).toString().equals(inode);
      } catch (Exception gone) {
        return false;
      }
    }).toList();
  }

  @Test
  void namespaceRecreatedUnderTheSameNameIsObservedAfresh() {
    namespaceWith("10.91.0.1");
    try (IpKernel kernel = new IpKernel(ns, runner)) {
      KernelState first = kernel.observe();
      assertThat(addresses(first)).containsExactly("10.91.0.1");
      assertThat(first.sysctls()).containsEntry("net/ipv4/conf/e0/rp_filter", "2");

      run("ip", "netns", "del", ns);
      namespaceWith("10.91.0.2");

      assertThat(addresses(kernel.observe())).containsExactly("10.91.0.2");
    }
  }

  @Test
  void killedCoProcessIsReplacedAndCloseLeavesNoProcess() throws Exception {
    namespaceWith("10.91.0.3");
    IpKernel kernel = new IpKernel(ns, runner);
    kernel.observe();
    List<ProcessHandle> live = coProcesses();
    assertThat(live).as("ip and the namespace's shell stay up between observations").hasSize(2);
    live.forEach(ProcessHandle::destroyForcibly);

    KernelState after = kernel.observe();
    assertThat(addresses(after)).containsExactly("10.91.0.3");
    assertThat(after.sysctls()).containsEntry("net/ipv4/conf/e0/rp_filter", "2");

    kernel.close();
    for (ProcessHandle p : live) {
      p.onExit().get(5, TimeUnit.SECONDS);
    }
    assertThat(coProcesses()).as("nothing left running after close").isEmpty();
  }

  @Test
  void idleCoProcessesStopByThemselves() throws Exception {
    namespaceWith("10.91.0.4");
    IpKernel kernel = new IpKernel(ns, runner, 200);
    kernel.observe();
    List<ProcessHandle> live = coProcesses();
    assertThat(live).hasSize(2);
    for (ProcessHandle p : live) {
      p.onExit().get(5, TimeUnit.SECONDS); // stopped after 200 ms without a request
    }
    assertThat(addresses(kernel.observe())).as("and start again when needed").containsExactly("10.91.0.4");
    kernel.close();
  }

  @Test
  void missingNamespaceFailsWithIproute2sMessage() {
    try (IpKernel kernel = new IpKernel(ns, runner)) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(kernel::observe))
          .isInstanceOf(KernelException.class).hasMessageContaining(ns);
    }
  }
}
