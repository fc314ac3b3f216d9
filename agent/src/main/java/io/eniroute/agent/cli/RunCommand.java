package io.eniroute.agent.cli;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.drift.KernelEventSource;
import io.eniroute.agent.kernel.IpKernel;
import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.safety.ProbeTargets;
import io.eniroute.agent.safety.SafeNodeRouting;
import io.eniroute.crds.v1alpha1.ProbeResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code eniroute-agent run}: apply the config safely (probes, journal, rollback), then keep it:
 * heal drift within a second, resync periodically, re-read the file when it changes. SIGTERM or
 * SIGINT stop it with exit code 0 and the routing left in place.
 */
@Command(name = "run", description = {
    "Apply the config safely (probes before/after, journal, automatic rollback), then heal drift",
    "until SIGTERM (exit 0, routing left in place). Re-reads FILE when it changes."})
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "NodeNetworkConfig YAML (or its bare spec).")
  Path file;

  @Option(names = "--resync", defaultValue = "60s", paramLabel = "DURATION",
      description = "Full reconcile period, a backstop for missed kernel events (e.g. 60s, 5m; default ${DEFAULT-VALUE}).")
  String resync;

  @Option(names = "--api-server", paramLabel = "HOST:PORT",
      description = "Probe this API server (TCP) around changes; default: KUBERNETES_SERVICE_HOST/PORT when set.")
  String apiServer;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Duration period = parseDuration(resync);
    SpecFile specFile = new SpecFile(file);
    specFile.loadInitial(); // a bad file at start is an error (exit 1), not a silent wait
    Optional<ProbeTargets.HostPort> api = apiServer != null
        ? Optional.of(ProbeTargets.HostPort.parse(apiServer))
        : ProbeTargets.HostPort.fromKubernetesEnv(System.getenv());
    IpKernel kernel = new IpKernel(target.netns());
    SafeNodeRouting routing = SafeNodeRouting.forTarget(kernel, target.stateDir(), api);
    ReconcileLoop loop = new ReconcileLoop(routing, specFile, r -> print(out, r), KernelEventSource.watching(kernel),
        ReconcileLoop.Timing.defaults().withResync(period));

    Signal.handle(new Signal("TERM"), s -> stopLater(loop));
    Signal.handle(new Signal("INT"), s -> stopLater(loop));
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "config-watch");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(() -> {
      if (specFile.changed()) {
        loop.requestReconcile();
      }
    }, 1, 1, TimeUnit.SECONDS);
    out.printf("eniroute-agent run: %s, resync every %ds; SIGTERM stops it and leaves the routing in place%n",
        target.netns() == null ? "host namespace" : "netns " + target.netns(), period.toSeconds());
    out.flush();
    loop.run();
    watcher.shutdownNow();
    out.println("stopped; routing left in place");
    out.flush();
    return 0;
  }

  /** Signal handlers must not block: stop from another thread. */
  private static void stopLater(ReconcileLoop loop) {
    Thread t = new Thread(loop::close, "stop");
    t.setDaemon(true);
    t.start();
  }

  private static void print(PrintWriter out, ApplyReport r) {
    if (r.outcome() == ApplyReport.Outcome.NO_CHANGE) {
      return;
    }
    out.printf("%s: %d kernel write(s) in %d ms: %s%n", r.outcome(), r.kernelWrites(), r.durationMillis(), r.message());
    for (ProbeResult p : r.probes()) {
      if (Boolean.TRUE.equals(p.getPassedBefore()) && !Boolean.TRUE.equals(p.getPassed())) {
        out.printf("  probe failed: %s%n", p.getMessage());
      }
    }
    out.flush();
  }

  static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase();
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      Duration d = switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
      if (d.isZero() || d.isNegative()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--resync: '" + s + "' is not a positive duration; write e.g. 60s, 5m or 500ms");
    }
  }
}
