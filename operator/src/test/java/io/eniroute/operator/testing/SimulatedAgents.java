package io.eniroute.operator.testing;

import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Pretends to be the agents of every node: watches NodeNetworkConfigs and, after a delay, writes
 * the status a real agent writes (docs/operator.md, "Agent status contract"). What each node does
 * with each policy generation is up to a behaviour function.
 */
public final class SimulatedAgents implements AutoCloseable {
  public enum Behaviour { APPLY, ROLL_BACK, SILENT }

  private final KubernetesClient client;
  private final Duration delay;
  private final ScheduledExecutorService timer;
  private final Map<String, Long> answeredGeneration = new ConcurrentHashMap<>();
  private volatile BiFunction<String, Long, Behaviour> behaviour = (node, generation) -> Behaviour.APPLY;
  private final java.util.Set<String> heldReverts = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> heldGeneration = new ConcurrentHashMap<>();
  private SharedIndexInformer<NodeNetworkConfig> informer;

  public SimulatedAgents(KubernetesClient client, Duration delay, int threads) {
    this.client = client;
    this.delay = delay;
    this.timer = Executors.newScheduledThreadPool(threads);
  }

  /** (node, spec.policyGeneration) to what the agent does with that spec. */
  public SimulatedAgents behave(BiFunction<String, Long, Behaviour> behaviour) {
    this.behaviour = behaviour;
    return this;
  }

  /** The agents of these nodes do not answer {@code absent} specs until {@link #releaseReverts()}. */
  public SimulatedAgents holdReverts(String... nodes) {
    heldReverts.addAll(List.of(nodes));
    return this;
  }

  /** Held agents now revert (as if they came back). */
  public void releaseReverts() {
    heldReverts.clear();
    heldGeneration.forEach((node, gen) -> timer.schedule(() -> report(node, gen, Behaviour.APPLY), delay.toMillis(), TimeUnit.MILLISECONDS));
  }

  public SimulatedAgents start() {
    informer = client.resources(NodeNetworkConfig.class).inform(new ResourceEventHandler<>() {
      @Override public void onAdd(NodeNetworkConfig c) { consider(c); }
      @Override public void onUpdate(NodeNetworkConfig before, NodeNetworkConfig c) { consider(c); }
      @Override public void onDelete(NodeNetworkConfig c, boolean unknown) { answeredGeneration.remove(c.getMetadata().getName()); }
    });
    return this;
  }

  private void consider(NodeNetworkConfig config) {
    String node = config.getMetadata().getName();
    Long generation = config.getMetadata().getGeneration();
    // A real agent acts once per spec (metadata.generation); status writes do not change it.
    if (generation == null || generation.equals(answeredGeneration.put(node, generation))) {
      return;
    }
    boolean absent = config.getSpec().getState() == ConfigState.ABSENT;
    if (absent && heldReverts.contains(node)) {
      heldGeneration.put(node, generation);
      return;
    }
    Behaviour b = absent ? Behaviour.APPLY : behaviour.apply(node, config.getSpec().getPolicyGeneration());
    if (b == Behaviour.SILENT) {
      return;
    }
    timer.schedule(() -> report(node, generation, b), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Writes the status the way the real agent does (agent/cluster/StatusWriter): one JSON patch of
   * the status subresource, decided from the object its watch last delivered, not a GET + PUT.
   */
  private void report(String node, long metadataGeneration, Behaviour b) {
    NodeNetworkConfig current = informer.getStore().getByKey(node);
    if (current == null || current.getMetadata().getGeneration() != metadataGeneration) {
      return; // deleted, or the spec moved on meanwhile: that newer spec gets its own answer
    }
    var json = client.getKubernetesSerialization();
    String patch = json.asJson(List.of(Map.of("op", "add", "path", "/status", "value", statusFor(current, b))));
    try {
      client.resources(NodeNetworkConfig.class).resource(current).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch);
    } catch (RuntimeException e) {
      // deleted meanwhile: nothing to report
    }
  }

  /** The node's agent answers its current spec at once, the way the real agent writes status (one JSON patch). */
  public static void answerNow(KubernetesClient client, String node, Behaviour b) {
    NodeNetworkConfig c = client.resources(NodeNetworkConfig.class).withName(node).get();
    String patch = client.getKubernetesSerialization()
        .asJson(List.of(Map.of("op", "add", "path", "/status", "value", statusFor(c, b))));
    client.resources(NodeNetworkConfig.class).resource(c).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
  }

  /** The status a real agent would write after acting on {@code config}. */
  public static NodeNetworkConfigStatus statusFor(NodeNetworkConfig config, Behaviour b) {
    long gen = config.getMetadata().getGeneration();
    NodeNetworkConfigStatus previous = config.getStatus();
    NodeNetworkConfigStatus s = new NodeNetworkConfigStatus();
    s.setObservedGeneration(gen);
    String now = Instant.now().toString();
    List<Condition> conditions = new ArrayList<>();
    if (config.getSpec().getState() == ConfigState.ABSENT) {
      s.setResult(AgentResult.REVERTED);
      s.setAppliedPolicyGeneration(null);
      conditions.add(cond(Api.APPLIED, "False", "Reverted", "eniroute removed its rules and routes", gen, now));
    } else if (b == Behaviour.APPLY) {
      s.setResult(AgentResult.APPLIED);
      s.setAppliedPolicyGeneration(config.getSpec().getPolicyGeneration());
      conditions.add(cond(Api.APPLIED, "True", "Applied", "routing matches the spec", gen, now));
      conditions.add(cond(Api.DEGRADED, "False", "ProbesPassed", "all probes passed", gen, now));
      conditions.add(cond(Api.ROLLED_BACK, "False", "ProbesPassed", "nothing rolled back", gen, now));
    } else {
      s.setResult(AgentResult.ROLLED_BACK);
      s.setAppliedPolicyGeneration(previous == null ? null : previous.getAppliedPolicyGeneration());
      conditions.add(cond(Api.APPLIED, "False", "RolledBack", "the change was rolled back", gen, now));
      conditions.add(cond(Api.ROLLED_BACK, "True", "ProbeFailed", "API server probe failed after the change", gen, now));
    }
    s.setConditions(conditions);
    return s;
  }

  private static Condition cond(String type, String status, String reason, String message, long gen, String now) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(gen).withLastTransitionTime(now).build();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    timer.shutdownNow();
  }
}
