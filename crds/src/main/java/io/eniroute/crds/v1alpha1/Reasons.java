package io.eniroute.crds.v1alpha1;

/**
 * Every reason eniroute writes into a condition or an Event, operator and agent alike: one place,
 * so a reader (and a tool that matches on them) finds the whole vocabulary here.
 */
public final class Reasons {
  // The rollout of a policy (operator).
  public static final String ALL_NODES_APPLIED = "AllNodesApplied";
  public static final String ROLLING_OUT = "RollingOut";
  public static final String ROLLOUT_STARTED = "RolloutStarted";
  public static final String ROLLOUT_COMPLETE = "RolloutComplete";
  public static final String ROLLOUT_HALTED = "RolloutHalted";
  public static final String RETRY_REQUESTED = "RetryRequested";
  public static final String NODES_FAILED = "NodesFailed";
  public static final String NO_FAILURES = "NoFailures";
  public static final String NOT_STALLED = "NotStalled";
  public static final String NO_CONFLICTS = "NoConflicts";
  public static final String NODES_OWNED_BY_OLDER_POLICY = "NodesOwnedByOlderPolicy";
  /** A selected node has a NodeNetworkConfig that no policy wrote (no eniroute.io/policy label). */
  public static final String NODES_HAVE_HAND_MADE_CONFIGS = "NodesHaveHandMadeConfigs";
  public static final String REVERTING = "Reverting";
  public static final String REVERTED = "Reverted";
  public static final String STATUS_WRITE_FAILED = "StatusWriteFailed";
  public static final String RECONCILE_FAILED = "ReconcileFailed";
  public static final String TIMEOUT = "Timeout";

  // Configuration problems that block a whole policy (operator).
  public static final String INVALID_SELECTOR = "InvalidSelector";
  public static final String INVALID_ROLLOUT = "InvalidRollout";
  public static final String AWS_NOT_CONFIGURED = "AwsNotConfigured";
  public static final String INVALID_RETRY = "InvalidRetry";

  // EC2 (operator); the allocator adds its own (InstanceTypeLimit, SubnetFull, Throttled, ...).
  public static final String ALLOCATED = "Allocated";
  public static final String ALLOCATING = "Allocating";
  public static final String AWS_ADDRESSES_PENDING = "AwsAddressesPending";
  public static final String AWS_ERROR = "AwsError";

  // A node's agent.
  public static final String APPLYING = "Applying";
  public static final String APPLIED = "Applied";
  public static final String AS_CONFIGURED = "AsConfigured";
  public static final String ON_LAST_GOOD_CONFIG = "OnLastGoodConfig";
  public static final String UNKNOWN = "Unknown";

  private Reasons() {}
}
