package io.eniroute.crds.v1alpha1;

/** Names shared by the operator, the agent and the chart. One place, so they cannot drift. */
public final class Api {
  public static final String GROUP = "eniroute.io";
  public static final String VERSION = "v1alpha1";

  /** Label on every NodeNetworkConfig naming the policy that owns it (list a policy's nodes). */
  public static final String POLICY_LABEL = GROUP + "/policy";
  /** Label on every NodeNetworkConfig naming its node. */
  public static final String NODE_LABEL = GROUP + "/node";
  /** Finalizer the operator keeps on a policy until every node has reverted. */
  public static final String POLICY_FINALIZER = GROUP + "/revert-nodes";
  /** Finalizer on a NodeNetworkConfig until its agent confirms the revert (or the node is gone). */
  public static final String CONFIG_FINALIZER = GROUP + "/agent-revert";

  /**
   * Annotation on a NodeNetworkPolicy: a new value retries the rollout without a spec edit (a
   * halted rollout resumes; failed nodes get their spec again, with the value in
   * {@code spec.retryToken}, so their agents try again). See docs/user-guide.md.
   */
  public static final String RETRY_ANNOTATION = GROUP + "/retry";
  /** The longest retry value the operator accepts (it is copied into every retried config). */
  public static final int RETRY_TOKEN_MAX_LENGTH = 253;

  /**
   * Condition types. Ready, Reconciling and Stalled follow kstatus (Flux, kpt, Argo CD read them):
   * Reconciling=True while work is under way, Stalled=True when it cannot go on without a person.
   */
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String DEGRADED = "Degraded";
  public static final String CONFLICT = "Conflict";
  public static final String APPLIED = "Applied";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String AWS_READY = "AwsAddressesReady";

  private Api() {}
}
