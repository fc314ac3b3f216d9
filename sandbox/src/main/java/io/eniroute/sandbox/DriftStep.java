package io.eniroute.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step 3: someone flushes a node's eth1 table (what {@code service networking restart} or a
 * stray script does). The agent sees it through {@code ip monitor} and puts it back; measured
 * from the flush to the default route being back, then proven by traffic.
 */
public final class DriftStep implements ScenarioStep {
  /** The product's promise: drift healed within a second. */
  public static final Duration PROMISED = Duration.ofSeconds(1);

  private final Duration bound;

  public DriftStep() {
    this(PROMISED);
  }

  /** @param bound the heal time the check accepts (a test on a loaded CI machine may allow more; the figure is printed anyway) */
  public DriftStep(Duration bound) {
    this.bound = bound;
  }

  @Override
  public String title() {
    return "drift: flush a node's table, the agent heals it";
  }

  @Override
  public void run(ScenarioContext ctx, StepReport report) {
    Sandbox sb = ctx.sandbox();
    SandboxNode n = sb.nodes().get(sb.nodes().size() - 1);
    String table = Long.toString(Policies.table(1));
    String before = sb.vpc().ip(n.name(), "route", "show", "table", table);
    ctx.narrator().say(n.name() + "# ip route show table " + table + "\n      " + before.strip().replace("\n", "\n      "));
    report.check(n.name() + ": table " + table + " holds eth1's routes before the flush", before.contains("default via"), before.strip());

    ctx.narrator().say(n.name() + "# ip route flush table " + table);
    sb.vpc().ip(n.name(), "route", "flush", "table", table);
    // Timed from right after the flush returned, polling every 2 ms.
    Optional<Duration> healed = Await.until(Duration.ofSeconds(10), 2,
        () -> sb.vpc().ip(n.name(), "route", "show", "table", table).contains("default via"));
    Duration took = healed.orElse(Duration.ofSeconds(10));
    report.figure("flush → table healed by the agent", took);
    report.check("healed within " + Summary.format(bound), healed.isPresent() && took.compareTo(bound) <= 0,
        healed.isPresent() ? "healed in " + Summary.format(took) : "not healed after 10 s");
    String after = sb.vpc().ip(n.name(), "route", "show", "table", table);
    report.check("table " + table + " is exactly as before", after.equals(before), after.equals(before) ? "" : "now: " + after.strip());

    List<String> eth1 = ctx.interfacesOf(n).get(1).privateIps();
    Map<String, Boolean> r = ctx.traffic().probe(eth1);
    report.check("client reaches " + n.name() + "'s eth1 addresses " + eth1 + " again", Traffic.unreachable(r).isEmpty(),
        Traffic.unreachable(r).isEmpty() ? "" : "no answer from " + Traffic.unreachable(r));
  }
}
