package io.eniroute.sandbox;

import java.util.List;

/**
 * The last step: the VPC CNI co-tenant came through the rollout, drift, the bad change and the
 * uninstall unharmed. Stops the watch of step 0 and reports what it saw: every pod answered every
 * connection, no NodeNetworkConfig listed a pod address, and the CNI's rules and routes are
 * exactly as step 0 left them.
 */
public final class CoTenantCheckStep implements ScenarioStep {
  @Override
  public String title() {
    return "co-tenant: the VPC CNI's pods answered throughout, its routing untouched";
  }

  @Override
  public void run(ScenarioContext ctx, StepReport report) throws Exception {
    if (ctx.coTenant().isEmpty()) {
      ctx.narrator().say("skipped: no co-tenant was set up (see step 0)");
      return;
    }
    try (CoTenantWatch watch = ctx.coTenant().get()) {
      CoTenantWatch.Seen seen = watch.stop();
      ctx.narrator().say(watch.node() + ": " + seen.answered() + " of " + seen.connections() + " connections to the pods "
          + "answered by the right pod over " + seen.rounds() + " rounds");
      report.check("every connection to a pod was answered by that pod, through every step", seen.misses().isEmpty()
          && seen.connections() > 0, seen.misses().isEmpty() ? seen.connections() + " connections" : String.join("; ", seen.misses()));
      report.check("no NodeNetworkConfig ever listed a pod address", seen.leaks().isEmpty(), String.join("; ", seen.leaks()));
      List<String> now = watch.cni().hostRouting();
      report.check("the CNI's rules and routes are exactly as before", now.equals(watch.routingBefore()),
          now.equals(watch.routingBefore()) ? "" : "now " + now + " ; was " + watch.routingBefore());
    } finally {
      ctx.coTenant(null);
    }
  }
}
