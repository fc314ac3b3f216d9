package io.eniroute.agent.cluster;

import io.eniroute.agent.api.ApplyReport;
import io.eniroute.agent.api.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.ApplyRecord;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a pass's report into the NodeNetworkConfig status (the contract the operator reads, see
 * docs/agent-cluster.md):
 * <ul>
 *   <li>result: Applied (APPLIED, NO_CHANGE), RolledBack, Degraded (FAILED), Reverted; Pending
 *       ({@link #pending}) while a pass toward a generation not reported yet runs;
 *   <li>conditions Applied, Degraded, RolledBack, each with observedGeneration; a condition's
 *       lastTransitionTime changes only when its status flips;
 *   <li>appliedPolicyGeneration: the spec's policyGeneration once applied, kept otherwise;
 *   <li>lastApply: the last pass that did something (a pass without writes that repeats the
 *       previous outcome, or changes nothing, keeps the previous one);
 *   <li>probes: the last probe run (a pass without probes keeps the previous results).
 * </ul>
 * Pure: same inputs, same status.
 */
public final class StatusBuilder {
  public static final String APPLIED = "Applied";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String DEGRADED = "Degraded";
  public static final String REVERTED = "Reverted";
  public static final String PENDING = "Pending";

  /**
   * The status while a pass toward a generation not reported yet runs: result Pending for that
   * generation, its three conditions False with reason Applying (no verdict on it yet, so the
   * operator reads "no answer yet"); everything describing the node (interfaces, counts,
   * lastApply, probes, appliedPolicyGeneration) stays as the last pass left it, since the node
   * has not changed yet.
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
    s.setResult(PENDING);
    Long gen = target.generation();
    String doing = target.absent() ? "reverting (generation " + gen + ")"
        : "applying generation " + gen
            + (target.policyGeneration() == null ? "" : " (policy generation " + target.policyGeneration() + ")");
    String waiting = doing + ": no verdict yet";
    s.setConditions(List.of(
        cond(prev, Api.APPLIED, false, "Applying", doing, gen, now),
        cond(prev, Api.DEGRADED, false, "Applying", waiting, gen, now),
        cond(prev, Api.ROLLED_BACK, false, "Applying", waiting, gen, now)));
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
    List<Condition> c = new ArrayList<>();
    switch (r.outcome()) {
      case APPLIED, NO_CHANGE -> {
        s.setResult(APPLIED);
        s.setAppliedPolicyGeneration(target.policyGeneration());
        c.add(cond(prev, Api.APPLIED, true, "Applied", appliedMessage(target, r), gen, now));
        c.add(cond(prev, Api.DEGRADED, false, "AsConfigured", "the node routes as configured", gen, now));
        c.add(cond(prev, Api.ROLLED_BACK, false, "AsConfigured", "the configured change is in place", gen, now));
      }
      case ROLLED_BACK -> {
        s.setResult(ROLLED_BACK);
        c.add(cond(prev, Api.APPLIED, false, r.reason(), "this generation was rolled back; see RolledBack", gen, now));
        c.add(cond(prev, Api.DEGRADED, false, "OnLastGoodConfig", "the node keeps its last good routing", gen, now));
        c.add(cond(prev, Api.ROLLED_BACK, true, r.reason(), r.message(), gen, now));
      }
      case REVERTED -> {
        s.setResult(REVERTED);
        c.add(cond(prev, Api.APPLIED, false, "Reverted", r.message(), gen, now));
        c.add(cond(prev, Api.DEGRADED, false, "Reverted", "nothing of eniroute is left on the node", gen, now));
        c.add(cond(prev, Api.ROLLED_BACK, false, "Reverted", "nothing of eniroute is left on the node", gen, now));
      }
      default -> {
        s.setResult(DEGRADED);
        c.add(cond(prev, Api.APPLIED, false, r.reason(), "this generation is not applied; see Degraded", gen, now));
        c.add(cond(prev, Api.DEGRADED, true, r.reason(), r.message(), gen, now));
        c.add(cond(prev, Api.ROLLED_BACK, false, r.reason(), "nothing was applied, so nothing was rolled back", gen, now));
      }
    }
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

  private static Condition cond(NodeNetworkConfigStatus prev, String type, boolean status, String reason, String message,
      Long generation, Instant now) {
    String value = status ? "True" : "False";
    String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    if (prev.getConditions() != null) {
      for (Condition p : prev.getConditions()) {
        if (type.equals(p.getType()) && value.equals(p.getStatus()) && p.getLastTransitionTime() != null) {
          since = p.getLastTransitionTime();
        }
      }
    }
    return new ConditionBuilder().withType(type).withStatus(value).withReason(Objects.requireNonNullElse(reason, "Unknown"))
        .withMessage(Objects.requireNonNullElse(message, "")).withObservedGeneration(generation)
        .withLastTransitionTime(since).build();
  }
}
