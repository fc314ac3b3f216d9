package io.eniroute.agent.routing;

import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.ProbeResult;
import java.util.List;

/**
 * What one reconcile, revert or status call found and did: the material for the CLI's summary,
 * the NodeNetworkConfig status, metrics and logs.
 *
 * @param outcome what happened
 * @param kernelWrites iproute2 commands and sysctl writes made (0 when nothing had to change)
 * @param durationMillis wall time of the call
 * @param interfaces every interface seen, managed or not (with the reason when not)
 * @param ownedRules rules eniroute owns after the call
 * @param ownedRoutes routes eniroute owns after the call
 * @param probes probe results of the last check (empty when no probe ran)
 * @param reason a CamelCase reason for conditions (e.g. Applied, ProbeFailed, ForeignConflict, InvalidConfig)
 * @param message a sentence for a person: what happened, and on failure what to fix
 */
public record ApplyReport(
    Outcome outcome,
    int kernelWrites,
    long durationMillis,
    List<InterfaceStatus> interfaces,
    int ownedRules,
    int ownedRoutes,
    List<ProbeResult> probes,
    String reason,
    String message) {

  public ApplyReport {
    interfaces = List.copyOf(interfaces);
    probes = List.copyOf(probes);
  }

  /** What a call ended with. */
  public enum Outcome {
    /** Changes were made and verified. */
    APPLIED,
    /** The kernel already matched: zero writes. */
    NO_CHANGE,
    /** A change broke a probe that passed before it and was undone. */
    ROLLED_BACK,
    /** Nothing was applied (bad config, foreign conflict, kernel error); the kernel is as before. */
    FAILED,
    /** Everything eniroute owned was removed. */
    REVERTED,
    /** Read-only call ({@link NodeRouting#status()}). */
    OBSERVED
  }

  public boolean ok() {
    return outcome == Outcome.APPLIED || outcome == Outcome.NO_CHANGE
        || outcome == Outcome.REVERTED || outcome == Outcome.OBSERVED;
  }
}
