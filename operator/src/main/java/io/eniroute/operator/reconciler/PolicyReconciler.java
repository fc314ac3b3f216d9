package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.reconciler.PolicyObserver.Observation;
import io.eniroute.operator.reconciler.PolicyValidator.Verdict;
import io.eniroute.operator.rollout.PolicyStatusBuilder;
import io.eniroute.operator.rollout.RolloutOutcome;
import io.eniroute.operator.rollout.RolloutPlanner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls each NodeNetworkPolicy out to the nodes it owns through one NodeNetworkConfig per node.
 * This class is the JOSDK glue; {@link #reconcile} reads as the rollout's table of contents and
 * each step is a class of its own. Every decision is derived from the objects in the cluster
 * (policies, nodes, configs and the hand-out stamp on each config), so a restarted or newly
 * elected operator continues exactly where the previous one stopped.
 */
@ControllerConfiguration(name = PolicyReconciler.NAME, finalizerName = Api.POLICY_FINALIZER,
    // PolicyChangeFilter instead of generation-awareness: the retry annotation must wake the policy too.
    generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = PolicyChangeFilter.class))
public class PolicyReconciler implements Reconciler<NodeNetworkPolicy>, Cleaner<NodeNetworkPolicy>, AutoCloseable {
  public static final String NAME = "nodenetworkpolicy";
  private static final Logger log = LoggerFactory.getLogger(PolicyReconciler.class);

  private final Clock clock;
  private final Optional<AddressAllocator> allocator;
  private final RolloutMetrics metrics;
  private final PolicyValidator validator;
  private final RolloutPlanner planner = new RolloutPlanner();
  private final PolicyStatusBuilder statusBuilder = new PolicyStatusBuilder();
  private final PolicyStatusRecorder recorder;
  private final RolloutAnnouncer announcer;
  private final Ec2Work ec2;
  private final Ec2Completions completions = new Ec2Completions();
  // Wired when the cluster is known: by JOSDK (prepareEventSources) or by the test harness (attach).
  private PolicyObserver observer;
  private NodeRetirer retirer;
  private NodeHandOut handOut;
  private SurplusRelease surplus;
  private InstanceRecorder instances;

  public PolicyReconciler(Clock clock, Optional<AddressAllocator> allocator, EventRecorder events, RolloutMetrics metrics) {
    this(clock, allocator, events, metrics, StatusPatcher.cached(), Ec2Work.withThreads(Ec2Work.THREADS));
  }

  private PolicyReconciler(Clock clock, Optional<AddressAllocator> allocator, EventRecorder events, RolloutMetrics metrics,
      StatusPatcher patcher, Ec2Work ec2) {
    this.clock = clock;
    this.allocator = allocator;
    this.metrics = metrics;
    this.validator = new PolicyValidator(allocator.isPresent());
    this.recorder = new PolicyStatusRecorder(patcher, clock);
    this.announcer = new RolloutAnnouncer(events);
    this.ec2 = ec2;
    ec2.onDone(completions::wake);
  }

  /**
   * A reconciler for the synchronous test harness: reads {@code cache} instead of informers,
   * patches status with {@code patcher}, and runs EC2 work on {@code ec2Executor} (the calling
   * thread, for a harness that wants each reconcile to finish its EC2 work).
   */
  public static PolicyReconciler detached(Clock clock, Optional<AddressAllocator> allocator, EventRecorder events,
      RolloutMetrics metrics, KubernetesClient client, ClusterCache cache, StatusPatcher patcher,
      ExecutorService ec2Executor) {
    PolicyReconciler r = new PolicyReconciler(clock, allocator, events, metrics, patcher, new Ec2Work(ec2Executor));
    r.attach(client, cache);
    return r;
  }

  private void attach(KubernetesClient client, ClusterCache cache) {
    ConfigWriter writer = new ConfigWriter(client, cache);
    observer = new PolicyObserver(cache);
    retirer = new NodeRetirer(writer, allocator, ec2, clock);
    handOut = new NodeHandOut(writer, allocator, ec2, NodeHandOut.writePool());
    surplus = new SurplusRelease(writer, allocator, ec2);
    instances = new InstanceRecorder(writer);
  }

  @Override
  public List<EventSource<?, NodeNetworkPolicy>> prepareEventSources(EventSourceContext<NodeNetworkPolicy> context) {
    var nodes = PolicyEventSources.nodes(context);
    var configs = PolicyEventSources.configs(context);
    attach(context.getClient(), new InformerClusterCache(context.getPrimaryCache(), nodes, configs));
    return List.of(nodes, configs, completions);
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

  /** validate → observe → retire → record instances → plan → hand out → release retired surplus → record → announce → reschedule. */
  private UpdateControl<NodeNetworkPolicy> rollOut(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context) {
    String name = policy.getMetadata().getName();
    Instant now = clock.instant();
    Verdict verdict = validator.validate(policy);
    Observation seen = observer.observe();

    RolloutPlanner.Plan plan = null;
    NodeHandOut.Result done = NodeHandOut.Result.NOTHING;
    List<String> waitingForOther = new ArrayList<>();
    List<String> handMade = new ArrayList<>();
    int retiring = 0;
    if (verdict.rules().isPresent()) {
      RolloutPlanner.Rules rules = verdict.rules().get();
      retiring = retirer.retireUnowned(policy, seen);
      instances.record(policy, seen);
      plan = planner.plan(rules, seen.owned(name, waitingForOther, handMade), now);
      done = handOut.handOut(policy, plan.toHand(), seen, rules, now);
      retiring += surplus.release(policy, seen, rules.nodeTimeout(), now);
      if (done.retried() > 0) {
        announcer.retried(policy, rules.retryToken(), done.retried());
      }
    }
    var blocker = verdict.blocker();
    RolloutOutcome outcome = new RolloutOutcome(policy.getMetadata().getGeneration(), plan, done.handed(), done.allocating(),
        done.awsWaiting(), blocker.map(PolicyValidator.Blocker::message).orElse(null),
        blocker.map(PolicyValidator.Blocker::reason).orElse(null), seen.ownership().conflictsOf(name), handMade, waitingForOther,
        policy.getSpec().getAws() != null);
    NodeNetworkPolicyStatus previous = policy.getStatus();
    Optional<Duration> statusDue = recorder.record(policy, context, statusBuilder.build(outcome, previous, now));
    // After the status is written: a reconcile that failed before it announces nothing, and the
    // next one, reading the same recorded status, announces it then (once).
    announcer.startedIfNew(policy, outcome, previous);
    announcer.transitions(policy, outcome, previous);
    metrics.observe(name, outcome);

    Optional<Duration> next = Reschedule.after(outcome, verdict.rules().map(RolloutPlanner.Rules::nodeTimeout), retiring,
        statusDue, now);
    UpdateControl<NodeNetworkPolicy> control = UpdateControl.noUpdate();
    next.ifPresent(d -> control.rescheduleAfter(d.toMillis()));
    return control;
  }

  @Override
  public DeleteControl cleanup(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context) {
    String name = policy.getMetadata().getName();
    NodeRetirer.Retiring retiring = retirer.retireAll(policy, observer.observe());
    if (retiring.remaining() > 0) {
      log.info("policy {} is being deleted: waiting for {} node(s) to revert", name, retiring.remaining());
      recorder.recordDeleting(policy, context, retiring.remaining(), retiring.ec2Waiting());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Reschedule.CLEANUP_RECHECK.toMillis());
    }
    metrics.forget(name);
    recorder.forget(name);
    ec2.forget(name);
    retirer.forget(name);
    announcer.reverted(policy);
    log.info("policy {}: every node reverted, finalizer removed", name);
    return DeleteControl.defaultDelete();
  }

  /** A failed reconcile shows in the status (Degraded, ReconcileFailed, the attempt) while JOSDK retries. */
  @Override
  public ErrorStatusUpdateControl<NodeNetworkPolicy> updateErrorStatus(NodeNetworkPolicy policy,
      Context<NodeNetworkPolicy> context, Exception e) {
    int attempt = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(1);
    log.warn("policy {}: reconcile attempt {} failed: {}", policy.getMetadata().getName(), attempt, e.toString());
    policy.setStatus(recorder.errorStatus(policy, e, attempt));
    return ErrorStatusUpdateControl.patchStatus(policy);
  }

  /** Stops the EC2 and config-write threads (called when the operator stops). */
  @Override
  public void close() {
    ec2.close();
    if (handOut != null) {
      handOut.close();
    }
  }
}
