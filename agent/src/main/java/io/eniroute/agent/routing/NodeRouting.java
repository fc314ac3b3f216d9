package io.eniroute.agent.routing;

import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;

/**
 * Brings one network namespace's policy routing to what a NodeNetworkConfig spec asks for.
 *
 * <p>The contract between the parts of the agent: the engine implements it (observe, plan, one
 * iproute2 batch, verify); the safety layer decorates it (journal, probes, rollback); the drift
 * loop, the CLI, the cluster agent and the sandbox only call it. Implementations never throw for
 * a bad config or a failed change: they report it, and they never leave half a config applied.
 */
public interface NodeRouting {

  /** Observe the kernel, plan, apply the difference. A second call with the same spec writes nothing. */
  ApplyReport reconcile(NodeNetworkConfigSpec spec);

  /** Remove everything eniroute owns and restore what it removed from the main table. */
  ApplyReport revert();

  /** What eniroute owns now; changes nothing. */
  ApplyReport status();
}
