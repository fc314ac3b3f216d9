package io.eniroute.agent.observability;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.common.Probes;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness of the agent, as /healthz and /readyz answer them.
 *
 * <ul>
 *   <li>live: the reconcile loop's thread and the kernel monitor's thread are running (a dead
 *       loop or a dead monitor heals nothing: restart us);
 *   <li>ready: live, the first look at the desired config is done (the informer synced, or
 *       there is no config for this node), the first pass toward a config is done when there is
 *       one, and the last {@value #FAILURES_NOT_READY} passes did not all fail. A rollback is
 *       not a failure here: the node is on its last good config and says so in its status.
 * </ul>
 * Thread-safe: the loop writes, HTTP threads read.
 */
public final class Health implements Probes {
  static final int FAILURES_NOT_READY = 3;

  private final BooleanSupplier loopAlive;
  private final BooleanSupplier monitorAlive;
  private volatile boolean configKnown;
  private volatile boolean needsFirstPass;
  private volatile boolean firstPassDone;
  private volatile int consecutiveFailures;
  private volatile String lastProblem = "";

  public Health(BooleanSupplier loopAlive, BooleanSupplier monitorAlive) {
    this.loopAlive = loopAlive;
    this.monitorAlive = monitorAlive;
  }

  /** The desired config is known: {@code present} says whether one exists for this node. */
  public void configSynced(boolean present) {
    needsFirstPass = present;
    configKnown = true;
  }

  public void report(ApplyReport r) {
    firstPassDone = true;
    if (r.outcome() == Outcome.FAILED) {
      consecutiveFailures++;
      lastProblem = r.reason() + ": " + r.message();
    } else {
      consecutiveFailures = 0;
    }
  }

  public boolean live() {
    return notLiveReason() == null;
  }

  /** Null when live, else why not (for the /healthz body). */
  @Override
  public String notLiveReason() {
    if (!loopAlive.getAsBoolean()) {
      return "the reconcile loop is not running";
    }
    if (!monitorAlive.getAsBoolean()) {
      return "the kernel monitor is not running: drift would go unhealed until the next resync";
    }
    return null;
  }

  /** Null when ready, else why not (for the /readyz body). */
  @Override
  public String notReadyReason() {
    String notLive = notLiveReason();
    if (notLive != null) {
      return notLive;
    }
    if (!configKnown) {
      return "the NodeNetworkConfig has not been read yet";
    }
    if (needsFirstPass && !firstPassDone) {
      return "the first reconcile has not finished";
    }
    if (consecutiveFailures >= FAILURES_NOT_READY) {
      return "the last " + consecutiveFailures + " reconciles failed; last: " + lastProblem;
    }
    return null;
  }
}
