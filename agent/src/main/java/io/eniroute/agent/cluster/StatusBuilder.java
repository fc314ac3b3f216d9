package io.eniroute.agent.cluster;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.ApplyRecord;
import io.eniroute.crds.v1alpha1.Conditions;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.eniroute.crds.v1alpha1.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a pass's report into the NodeNetworkConfig status (the contract the operator reads, see
 * docs/agent-cluster.md):
 * <ul>
 *   <li>result ({@link AgentResult}): Applied (APPLIED, NO_CHANGE), RolledBack, Degraded (FAILED),
 *       Reverted; Pending ({@link #pending}) while a pass toward a generation not reported yet runs;
 *   <li>conditions Ready, Reconciling, Stalled (kstatus: Ready=True once applied or reverted,
 *       Stalled=True after a rollback or failure, Reconciling=True during a pass) and Applied,
 *       Degraded, RolledBack, each with observedGeneration, written through {@link Conditions};
 *   <li>appliedPolicyGeneration: the spec's policyGeneration once applied, kept otherwise;
 *   <li>lastApply: the last pass that did something (a pass without writes that repeats the
 *       previous outcome, or changes nothing, keeps the previous one);
 *   <li>probes: the last probe run (a pass without probes keeps the previous results).
 * </ul>
 * Pure: same inputs, same status.
 */
public final class StatusBuilder {
  /** The condition types of a NodeNetworkConfig, in the order they are written. */
  static final List<String> TYPES = List.of(Api.READY, Api.RECONCILING, Api.STALLED, Api.APPLIED, Api.DEGRADED, Api.ROLLED_BACK);

  /**
   * The status while a pass toward a generation not reported yet runs: result Pending for that
   * generation, Reconciling=True and the verdict conditions False with reason Applying (no verdict
   * on it yet, so the operator reads "no answer yet"); everything describing the node (interfaces,
   * counts, lastApply, probes, appliedPolicyGeneration) stays as the last pass left it, since the
   * node has not changed yet.
   */
  public NodeNetworkConfigStatus pending(NodeNetworkConfigStatus previous, Target target, Instant now) {
    NodeNetworkConfigStatus prev = previous == null ? new NodeNetworkConfigStatus() : previous;
    NodeNetworkConfigStatus s = new NodeNetworkConfigStatus();
    s.setObservedGeneration(target.generation());
    s.setAppliedPolicyGeneration(prev.getAppliedPolicyGeneration());
    s.setInterfaces(prev.getInterfaces());
    s.setOwnedRules(prev.getOwnedRules());
    s.setOwnedRoutes(prev.getOwnedRoutes());
    s.setLastApply(prev.getLastApply());
    s.setProbes(prev.getProbes());
    s.setResult(AgentResult.PENDING);
    Long gen = target.generation();
    String doing = target.absent() ? "reverting (generation " + gen + ")"
        : "applying generation " + gen
            + (target.policyGeneration() == null ? "" : " (policy generation " + target.policyGeneration() + ")");
    String waiting = doing + ": no verdict yet";
    List<Condition> c = Conditions.copyOf(prev.getConditions());
    Conditions.set(c, Api.READY, false, Reasons.APPLYING, doing, gen, now);
    Conditions.set(c, Api.RECONCILING, true, Reasons.APPLYING, doing, gen, now);
    Conditions.set(c, Api.STALLED, false, Reasons.APPLYING, waiting, gen, now);
    Conditions.set(c, Api.APPLIED, false, Reasons.APPLYING, doing, gen, now);
    Conditions.set(c, Api.DEGRADED, false, Reasons.APPLYING, waiting, gen, now);
    Conditions.set(c, Api.ROLLED_BACK, false, Reasons.APPLYING, waiting, gen, now);
    Conditions.arrange(c, TYPES);
    s.setConditions(c);
    return s;
  }

  public NodeNetworkConfigStatus build(NodeNetworkConfigStatus previous, Target target, ApplyReport r, Instant now) {
    NodeNetworkConfigStatus prev = previous == null ? new NodeNetworkConfigStatus() : previous;
    NodeNetworkConfigStatus s = new NodeNetworkConfigStatus();
    s.setObservedGeneration(target.generation());
    s.setAppliedPolicyGeneration(prev.getAppliedPolicyGeneration());
    s.setInterfaces(new ArrayList<>(r.interfaces()));
    s.setOwnedRules(r.ownedRules());
    s.setOwnedRoutes(r.ownedRoutes());
    s.setProbes(r.probes().isEmpty() && prev.getProbes() != null ? prev.getProbes() : new ArrayList<>(r.probes()));
    ApplyRecord rec = record(r, now);
    ApplyRecord last = prev.getLastApply();
    // A pass that wrote nothing and says nothing new (no change, the same rollback verdict again) keeps the last apply.
    boolean repeat = last != null && r.kernelWrites() == 0
        && (r.outcome() == Outcome.NO_CHANGE || Objects.equals(last.getOutcome(), rec.getOutcome()));
    s.setLastApply(repeat ? last : rec);

    Long gen = target.generation();
    List<Condition> c = Conditions.copyOf(prev.getConditions());
    String idle = "no pass is under way";
    switch (r.outcome()) {
      case APPLIED, NO_CHANGE -> {
        s.setResult(AgentResult.APPLIED);
        s.setAppliedPolicyGeneration(target.policyGeneration());
        String applied = appliedMessage(target, r);
        Conditions.set(c, Api.READY, true, Reasons.APPLIED, applied, gen, now);
        Conditions.set(c, Api.RECONCILING, false, Reasons.APPLIED, idle, gen, now);
        Conditions.set(c, Api.STALLED, false, Reasons.AS_CONFIGURED, "the node routes as configured", gen, now);
        Conditions.set(c, Api.APPLIED, true, Reasons.APPLIED, applied, gen, now);
        Conditions.set(c, Api.DEGRADED, false, Reasons.AS_CONFIGURED, "the node routes as configured", gen, now);
        Conditions.set(c, Api.ROLLED_BACK, false, Reasons.AS_CONFIGURED, "the configured change is in place", gen, now);
      }
      case ROLLED_BACK -> {
        s.setResult(AgentResult.ROLLED_BACK);
        Conditions.set(c, Api.READY, false, r.reason(), "this generation was rolled back; see RolledBack", gen, now);
        Conditions.set(c, Api.RECONCILING, false, r.reason(), idle, gen, now);
        Conditions.set(c, Api.STALLED, true, r.reason(), r.message(), gen, now);
        Conditions.set(c, Api.APPLIED, false, r.reason(), "this generation was rolled back; see RolledBack", gen, now);
        Conditions.set(c, Api.DEGRADED, false, Reasons.ON_LAST_GOOD_CONFIG, "the node keeps its last good routing", gen, now);
        Conditions.set(c, Api.ROLLED_BACK, true, r.reason(), r.message(), gen, now);
      }
      case REVERTED -> {
        s.setResult(AgentResult.REVERTED);
        Conditions.set(c, Api.READY, true, Reasons.REVERTED, r.message(), gen, now);
        Conditions.set(c, Api.RECONCILING, false, Reasons.REVERTED, idle, gen, now);
        Conditions.set(c, Api.STALLED, false, Reasons.REVERTED, "nothing of eniroute is left on the node", gen, now);
        Conditions.set(c, Api.APPLIED, false, Reasons.REVERTED, r.message(), gen, now);
        Conditions.set(c, Api.DEGRADED, false, Reasons.REVERTED, "nothing of eniroute is left on the node", gen, now);
        Conditions.set(c, Api.ROLLED_BACK, false, Reasons.REVERTED, "nothing of eniroute is left on the node", gen, now);
      }
      default -> {
        s.setResult(AgentResult.DEGRADED);
        Conditions.set(c, Api.READY, false, r.reason(), "this generation is not applied; see Degraded", gen, now);
        Conditions.set(c, Api.RECONCILING, false, r.reason(), idle, gen, now);
        Conditions.set(c, Api.STALLED, true, r.reason(), r.message(), gen, now);
        Conditions.set(c, Api.APPLIED, false, r.reason(), "this generation is not applied; see Degraded", gen, now);
        Conditions.set(c, Api.DEGRADED, true, r.reason(), r.message(), gen, now);
        Conditions.set(c, Api.ROLLED_BACK, false, r.reason(), "nothing was applied, so nothing was rolled back", gen, now);
      }
    }
    Conditions.arrange(c, TYPES);
    s.setConditions(c);
    return s;
  }

  /** A stable sentence (no timings, no write counts), so an unchanged node gives an unchanged status. */
  private static String appliedMessage(Target t, ApplyReport r) {
    long managed = r.interfaces().stream().filter(i -> Boolean.TRUE.equals(i.getManaged())).count();
    return (t.policyGeneration() == null ? "config" : "policy generation " + t.policyGeneration())
        + " applied" + (t.identity() == null ? "" : " on " + t.identity())
        + ": " + managed + " managed interface(s), " + r.ownedRules() + " rule(s), " + r.ownedRoutes() + " route(s)";
  }

  private static ApplyRecord record(ApplyReport r, Instant now) {
    ApplyRecord a = new ApplyRecord();
    a.setTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    a.setDurationMillis(r.durationMillis());
    a.setKernelWrites(r.kernelWrites());
    a.setOutcome(switch (r.outcome()) {
      case APPLIED -> "Applied";
      case NO_CHANGE -> "NoChange";
      case ROLLED_BACK -> "RolledBack";
      case REVERTED -> "Reverted";
      default -> "Failed";
    });
    return a;
  }
}
