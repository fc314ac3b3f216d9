package io.eniroute.agent.cluster;

import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;

/**
 * What one reconcile pass worked toward, so its report can be written to the right status.
 *
 * @param name the NodeNetworkConfig (= node) name
 * @param generation its metadata.generation; null when the spec came from the journal (API
 *     server not reached yet)
 * @param policyGeneration its spec.policyGeneration
 * @param absent the pass removed eniroute's routing (state absent, or the config is being deleted)
 * @param writable the object exists on the server, so a status can be written
 * @param serverStatus the status the server had when the pass started (the base for the new one)
 * @param identity the node's EC2 identity in words (e.g. "instance i-0abc in us-east-1"), null
 *     when neither the Node object nor IMDS gave one
 */
record Target(String name, Long generation, Long policyGeneration, boolean absent, boolean writable,
    NodeNetworkConfigStatus serverStatus, String identity) {

  static Target fromJournal(String name) {
    return new Target(name, null, null, false, false, null, null);
  }

  /** Same desired state as {@code other} (a pass toward it with writes is a drift repair). */
  boolean sameDesire(Target other) {
    return other != null && java.util.Objects.equals(generation, other.generation) && absent == other.absent;
  }
}
