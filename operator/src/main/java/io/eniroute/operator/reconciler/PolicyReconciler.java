package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.crds.v1alpha1.RolloutSettings;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.rollout.AgentReport;
import io.eniroute.operator.rollout.LabelSelectors;
import io.eniroute.operator.rollout.NodeOwnership;
import io.eniroute.operator.rollout.PolicyStatusBuilder;
import io.eniroute.operator.rollout.RolloutOutcome;
import io.eniroute.operator.rollout.RolloutPlanner;
import io.eniroute.operator.rollout.Timestamps;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls each NodeNetworkPolicy out to the nodes it owns through one NodeNetworkConfig per node.
 * Every decision is derived from the objects in the cluster (policies, nodes, configs and the
 * hand-out stamp on each config), so a restarted or newly elected operator continues exactly
 * where the previous one stopped.
 */
@ControllerConfiguration(name = PolicyReconciler.NAME, finalizerName = Api.POLICY_FINALIZER)
public class PolicyReconciler implements Reconciler<NodeNetworkPolicy>, Cleaner<NodeNetworkPolicy> {
  public static final String NAME = "nodenetworkpolicy";
  /** How often a policy waiting on EC2 looks again. */
  static final Duration AWS_RETRY = Duration.ofSeconds(15);
  /** How often a deleting policy re-checks when no event arrives (e.g. a silent agent). */
  static final Duration CLEANUP_RECHECK = Duration.ofSeconds(30);
  /** NodeNetworkConfig writes in flight at once during a wave. */
  static final int WRITE_PARALLELISM = 8;
  /** The least time between two status writes that only move a rollout's progress counts. */
  static final Duration PROGRESS_STATUS_INTERVAL = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(PolicyReconciler.class);

  private final Clock clock;
  private final Optional<AddressAllocator> allocator;
  private final EventRecorder events;
  private final RolloutMetrics metrics;
  private final RolloutPlanner planner = new RolloutPlanner();
  private final PolicyStatusBuilder statusBuilder = new PolicyStatusBuilder();
  private final StatusPacer statusPacer = new StatusPacer(PROGRESS_STATUS_INTERVAL);

  private final ExecutorService writePool;
  private InformerEventSource<Node, NodeNetworkPolicy> nodes;
  private InformerEventSource<NodeNetworkConfig, NodeNetworkPolicy> configs;
  private ConfigWriter writer;

  public PolicyReconciler(Clock clock, Optional<AddressAllocator> allocator, EventRecorder events, RolloutMetrics metrics) {
    this.clock = clock;
    this.allocator = allocator;
    this.events = events;
    this.metrics = metrics;
    this.writePool = Executors.newFixedThreadPool(WRITE_PARALLELISM, r -> {
      Thread t = new Thread(r, "nnc-writer");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public List<EventSource<?, NodeNetworkPolicy>> prepareEventSources(EventSourceContext<NodeNetworkPolicy> context) {
    // A node or config change can move nodes between policies, so it wakes every policy.
    SecondaryToPrimaryMapper<Node> nodeToPolicies = n -> allPolicies(context);
    SecondaryToPrimaryMapper<NodeNetworkConfig> configToPolicies = c -> allPolicies(context);
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, NodeNetworkPolicy.class)
        .withName("nodes")
        .withSecondaryToPrimaryMapper(nodeToPolicies)
        // Nodes update their status every few seconds; only label changes matter here.
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels()))
        .build(), context);
    configs = new InformerEventSource<>(InformerEventSourceConfiguration.from(NodeNetworkConfig.class, NodeNetworkPolicy.class)
        .withName("nodenetworkconfigs")
        .withLabelSelector(Api.POLICY_LABEL)
        .withSecondaryToPrimaryMapper(configToPolicies)
        .build(), context);
    writer = new ConfigWriter(context.getClient(), configs);
    return List.of(nodes, configs);
  }

  private static Set<ResourceID> allPolicies(EventSourceContext<NodeNetworkPolicy> context) {
    return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<NodeNetworkPolicy> reconcile(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context) {
    long started = System.nanoTime();
    String result = "error";
    try {
      UpdateControl<NodeNetworkPolicy> control = rollOut(policy, context);
      result = "ok";
      return control;
    } finally {
      metrics.reconciled(policy.getMetadata().getName(), Duration.ofNanos(System.nanoTime() - started), result);
    }
  }

  private UpdateControl<NodeNetworkPolicy> rollOut(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context) {
    String name = policy.getMetadata().getName();
    long generation = policy.getMetadata().getGeneration();
    Instant now = clock.instant();
    AwsSettings aws = policy.getSpec().getAws();
    Map<String, Node> nodeByName = byName(nodes.list().toList());
    Map<String, NodeNetworkConfig> configByNode = configsByNode();
    NodeOwnership ownership = NodeOwnership.compute(context.getPrimaryCache().list().toList(), nodeByName.values());

    String blocker = null;
    String blockerReason = null;
    Optional<String> selectorProblem = LabelSelectors.problem(policy.getSpec().getNodeSelector());
    if (selectorProblem.isPresent()) {
      blocker = selectorProblem.get() + "; nothing was changed on any node";
      blockerReason = "InvalidSelector";
    } else if (aws != null && allocator.isEmpty()) {
      blocker = "spec.aws is set but this operator runs without EC2 access; start it with --aws "
          + "(and IAM permissions, see docs/operator.md) or remove spec.aws; nothing was changed on any node";
      blockerReason = "AwsNotConfigured";
    }
    RolloutPlanner.Settings settings;
    try {
      settings = settings(policy);
    } catch (IllegalArgumentException e) {
      settings = null;
      blocker = e.getMessage() + "; nothing was changed on any node";
      blockerReason = "InvalidRollout";
    }

    RolloutPlanner.Plan plan = null;
    List<String> handed = new ArrayList<>();
    List<NodeFailure> awsWaiting = new ArrayList<>();
    List<String> waitingForOther = new ArrayList<>();
    if (blocker == null) {
      Set<String> owned = Set.copyOf(ownership.ownedBy(name));
      retireUnowned(policy, owned, configByNode, nodeByName);
      List<RolloutPlanner.OwnedNode> candidates = new ArrayList<>();
      for (String node : ownership.ownedBy(name)) {
        NodeNetworkConfig config = configByNode.get(node);
        boolean ours = config != null && name.equals(policyOf(config));
        if (config != null && !ours) {
          waitingForOther.add(node);
        }
        candidates.add(new RolloutPlanner.OwnedNode(node, created(nodeByName.get(node)), ours ? config : null, config != null && !ours));
      }
      plan = planner.plan(settings, candidates, now);
      handOut(policy, plan.toHand(), nodeByName, configByNode, now, handed, awsWaiting);
      if (plan.firstHandOut() && !handed.isEmpty()) {
        events.normal(policy, "RolloutStarted", "rolling out generation " + generation + " to " + plan.matched()
            + " node(s): canary " + handed.get(0) + " first, then waves of up to " + plan.maxUnavailable());
      }
    }
    RolloutOutcome outcome = new RolloutOutcome(generation, plan, handed, awsWaiting, blocker, blockerReason,
        ownership.conflictsOf(name), waitingForOther, aws != null);
    NodeNetworkPolicyStatus previous = policy.getStatus();
    NodeNetworkPolicyStatus status = statusBuilder.build(outcome, previous, now);
    announceTransitions(policy, outcome, previous);
    metrics.observe(name, outcome);

    UpdateControl<NodeNetworkPolicy> control = UpdateControl.noUpdate();
    Optional<Duration> statusDue = Optional.empty();
    if (!sameStatus(context.getClient(), previous, status)) {
      statusDue = statusPacer.deferral(name, previous, status, now);
      if (statusDue.isEmpty()) {
        // Patch and cache, so a reconcile right behind this one sees the new status (and its phase:
        // that is what keeps a transition's Event from being recorded twice).
        PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(policy, context, p -> {
          p.setStatus(status);
          return p;
        });
        statusPacer.written(name, now);
        log.info("policy {} generation {}: {} - {}", name, generation, status.getPhase(),
            status.getConditions().get(0).getMessage());
      }
    }
    Optional<Duration> next = nextCheck(outcome, settings, now);
    if (statusDue.isPresent() && (next.isEmpty() || statusDue.get().compareTo(next.get()) < 0)) {
      next = statusDue; // the deferred progress write
    }
    next.ifPresent(d -> control.rescheduleAfter(d.toMillis()));
    return control;
  }

  /**
   * Hands the nodes their spec, several writes at a time: a wave of hundreds of nodes written one
   * by one would spread over seconds and stretch the rollout. A failed write fails the reconcile
   * (retried with backoff); the writes that succeeded are in the cache and are not repeated.
   */
  private void handOut(NodeNetworkPolicy policy, List<String> toHand, Map<String, Node> nodeByName,
      Map<String, NodeNetworkConfig> configByNode, Instant now, List<String> handed, List<NodeFailure> awsWaiting) {
    AwsSettings aws = policy.getSpec().getAws();
    List<CompletableFuture<Optional<NodeFailure>>> writes = new ArrayList<>();
    for (String node : toHand) {
      writes.add(CompletableFuture.supplyAsync(() -> {
        List<InterfaceAddresses> addresses = List.of();
        if (aws != null) {
          Allocation allocation = ensure(nodeByName.get(node), aws);
          if (!allocation.complete()) {
            return Optional.of(new NodeFailure(node, allocation.reason(), allocation.message()));
          }
          addresses = allocation.interfaces();
        }
        writer.hand(policy, node, configByNode.get(node), ConfigSpecs.present(policy, addresses), now);
        return Optional.<NodeFailure>empty();
      }, writePool));
    }
    RuntimeException failure = null;
    for (int i = 0; i < writes.size(); i++) {
      try {
        Optional<NodeFailure> waiting = writes.get(i).join();
        if (waiting.isPresent()) {
          awsWaiting.add(waiting.get());
        } else {
          handed.add(toHand.get(i));
        }
      } catch (CompletionException e) {
        failure = e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public DeleteControl cleanup(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context) {
    String name = policy.getMetadata().getName();
    Map<String, Node> nodeByName = byName(nodes.list().toList());
    int remaining = 0;
    for (NodeNetworkConfig config : configsByNode().values()) {
      if (name.equals(policyOf(config)) && !retire(policy, config, nodeByName.get(config.getMetadata().getName()))) {
        remaining++;
      }
    }
    if (remaining > 0) {
      log.info("policy {} is being deleted: waiting for {} node(s) to revert", name, remaining);
      markDeleting(policy, context, remaining);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RECHECK.toMillis());
    }
    metrics.forget(name);
    statusPacer.forget(name);
    events.normal(policy, "Reverted", "every node reverted the routing of policy " + name + "; removing the finalizer");
    log.info("policy {}: every node reverted, finalizer removed", name);
    return DeleteControl.defaultDelete();
  }

  /** Shows the deletion in the status (phase Deleting) while agents revert; written once per change. */
  private void markDeleting(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context, int remaining) {
    NodeNetworkPolicyStatus previous = policy.getStatus();
    String message = "policy deleted: waiting for " + remaining + " node(s) to revert (state absent, then Reverted)";
    boolean same = previous != null && RolloutOutcome.DELETING.equals(previous.getPhase())
        && previous.getConditions().stream().anyMatch(c -> Api.PROGRESSING.equals(c.getType()) && message.equals(c.getMessage()));
    if (same) {
      return;
    }
    var json = context.getClient().getKubernetesSerialization();
    // A copy: the patch is the difference between the cached policy and the edited one.
    NodeNetworkPolicyStatus status = previous == null ? new NodeNetworkPolicyStatus()
        : json.unmarshal(json.asJson(previous), NodeNetworkPolicyStatus.class);
    status.setPhase(RolloutOutcome.DELETING);
    String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    status.getConditions().removeIf(c -> Api.PROGRESSING.equals(c.getType()) || Api.READY.equals(c.getType()));
    status.getConditions().add(0, new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(Api.PROGRESSING)
        .withStatus("True").withReason("Reverting").withMessage(message).withLastTransitionTime(now)
        .withObservedGeneration(policy.getMetadata().getGeneration()).build());
    status.getConditions().add(0, new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(Api.READY)
        .withStatus("False").withReason("Reverting").withMessage(message).withLastTransitionTime(now)
        .withObservedGeneration(policy.getMetadata().getGeneration()).build());
    try {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(policy, context, p -> {
        p.setStatus(status);
        return p;
      });
    } catch (RuntimeException e) {
      log.warn("policy {}: could not show the deletion in the status: {}", policy.getMetadata().getName(), e.getMessage());
    }
  }

  /** Configs of this policy on nodes it no longer owns go absent, then away once reverted. */
  private void retireUnowned(NodeNetworkPolicy policy, Set<String> owned, Map<String, NodeNetworkConfig> configByNode,
      Map<String, Node> nodeByName) {
    String name = policy.getMetadata().getName();
    for (NodeNetworkConfig config : configByNode.values()) {
      String node = config.getMetadata().getName();
      if (name.equals(policyOf(config)) && !owned.contains(node)) {
        retire(policy, config, nodeByName.get(node));
      }
    }
  }

  /** One step of taking a node's config away; true once the config is gone. */
  private boolean retire(NodeNetworkPolicy policy, NodeNetworkConfig config, Node node) {
    if (config.getMetadata().getDeletionTimestamp() != null) {
      return true;
    }
    if (node == null) {
      writer.delete(config, "the node is gone");
      return true;
    }
    if (config.getSpec().getState() != ConfigState.ABSENT) {
      writer.retire(config, clock.instant());
      return false;
    }
    if (!AgentReport.reverted(config)) {
      return false;
    }
    AwsSettings aws = policy.getSpec().getAws();
    if (aws != null && allocator.isPresent()) {
      Allocation released = allocator.get().release(node, aws);
      if (!released.complete()) {
        log.warn("node {}: EC2 release not finished ({}: {}); will retry", node.getMetadata().getName(),
            released.reason(), released.message());
        return false;
      }
    }
    writer.delete(config, "its agent reported Reverted");
    return true;
  }

  private Allocation ensure(Node node, AwsSettings aws) {
    try {
      return allocator.orElseThrow().ensure(node, aws);
    } catch (RuntimeException e) {
      log.warn("node {}: EC2 allocation failed", node.getMetadata().getName(), e);
      return Allocation.pending(List.of(), "AwsError", "EC2 allocation failed: " + e.getMessage());
    }
  }

  private void announceTransitions(NodeNetworkPolicy policy, RolloutOutcome o, NodeNetworkPolicyStatus previous) {
    boolean sameGeneration = previous != null && Objects.equals(previous.getObservedGeneration(), o.generation());
    String before = sameGeneration ? previous.getPhase() : null;
    String phase = o.phase();
    if (Objects.equals(before, phase)) {
      return;
    }
    String name = policy.getMetadata().getName();
    if (RolloutOutcome.HALTED.equals(phase)) {
      String msg = "rollout of generation " + o.generation() + " halted after " + o.plan().failed() + " failure(s) (maxFailures "
          + policy.getSpec().getRollout().getMaxFailures() + "): " + PolicyStatusBuilder.failuresText(o.plan())
          + "; " + o.pending() + " node(s) keep their previous configuration";
      events.warning(policy, "RolloutHalted", msg);
      log.warn("policy {}: {}", name, msg);
    } else if (RolloutOutcome.COMPLETE.equals(phase) && o.matched() > 0) {
      events.normal(policy, "RolloutComplete", "generation " + o.generation() + " applied on " + o.plan().applied()
          + " of " + o.matched() + " node(s)" + (o.plan().failed() > 0 ? ", " + o.plan().failed() + " failed" : ""));
    } else if (RolloutOutcome.PENDING.equals(phase)) {
      events.warning(policy, o.blockerReason(), o.blocker());
    }
  }

  /** When to look again without an event: the earliest node deadline (a silent agent sends none). */
  private static Optional<Duration> nextCheck(RolloutOutcome o, RolloutPlanner.Settings settings, Instant now) {
    Duration next = null;
    if (o.plan() != null && o.plan().nextDeadline().isPresent()) {
      next = Duration.between(now, o.plan().nextDeadline().get()).plusMillis(100);
    }
    if (!o.handed().isEmpty() && (next == null || next.compareTo(settings.nodeTimeout()) > 0)) {
      next = settings.nodeTimeout().plusMillis(100);
    }
    if (!o.awsWaiting().isEmpty() && (next == null || next.compareTo(AWS_RETRY) > 0)) {
      next = AWS_RETRY;
    }
    return Optional.ofNullable(next).map(d -> d.isNegative() ? Duration.ofMillis(100) : d);
  }

  private static RolloutPlanner.Settings settings(NodeNetworkPolicy policy) {
    RolloutSettings r = policy.getSpec().getRollout() == null ? new RolloutSettings() : policy.getSpec().getRollout();
    int timeout = r.getNodeTimeoutSeconds() == null ? 300 : r.getNodeTimeoutSeconds();
    int maxFailures = r.getMaxFailures() == null ? 0 : r.getMaxFailures();
    RolloutPlanner.resolve(r.getMaxUnavailable(), 1); // validates now, with a message naming the field
    return new RolloutPlanner.Settings(policy.getMetadata().getGeneration(), r.getMaxUnavailable(), maxFailures,
        Duration.ofSeconds(timeout));
  }

  private Map<String, NodeNetworkConfig> configsByNode() {
    // a HashMap: sorting thousands of names on every reconcile was a tenth of the operator's CPU
    Map<String, NodeNetworkConfig> out = new HashMap<>();
    configs.list().forEach(c -> out.put(c.getMetadata().getName(), c));
    return out;
  }

  private static Map<String, Node> byName(Collection<Node> nodes) {
    Map<String, Node> out = new HashMap<>();
    nodes.forEach(n -> out.put(n.getMetadata().getName(), n));
    return out;
  }

  private static String policyOf(NodeNetworkConfig config) {
    Map<String, String> labels = config.getMetadata().getLabels();
    return labels == null ? null : labels.get(Api.POLICY_LABEL);
  }

  private static Instant created(Node node) {
    String ts = node == null ? null : node.getMetadata().getCreationTimestamp();
    return ts == null ? null : Timestamps.parse(ts);
  }

  private static boolean sameStatus(KubernetesClient client, NodeNetworkPolicyStatus a, NodeNetworkPolicyStatus b) {
    if (a == null) {
      return false;
    }
    var s = client.getKubernetesSerialization();
    return s.convertValue(a, com.fasterxml.jackson.databind.JsonNode.class)
        .equals(s.convertValue(b, com.fasterxml.jackson.databind.JsonNode.class));
  }
}
