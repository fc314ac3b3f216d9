package io.eniroute.operator.testing;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.reconciler.ClusterCache;
import io.eniroute.operator.reconciler.PolicyReconciler;
import io.eniroute.operator.reconciler.RolloutMetrics;
import io.eniroute.operator.reconciler.StatusPatcher;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * The policy reconciler without JOSDK's machinery around it (the pattern of Flink's
 * TestingFlinkDeploymentController): a fixed clock, {@link #reconcile} called by hand against the
 * API server, and the status, configs and Events there to assert after each step. No informer,
 * no timer, no sleep: what a test sees after {@code reconcile} returns is all that reconcile did.
 * EC2 work runs on the executor the test gives ({@link DirectExecutor}: inside the reconcile).
 */
public final class ReconcilerHarness implements AutoCloseable {
  private final KubernetesClient client;
  private final PolicyReconciler reconciler;
  private final RecordedEvents events = new RecordedEvents();

  public ReconcilerHarness(TestCluster cluster, MutableClock clock, Optional<AddressAllocator> allocator, ExecutorService ec2) {
    this.client = cluster.operatorClient();
    this.reconciler = PolicyReconciler.detached(clock, allocator, events, new RolloutMetrics(new SimpleMeterRegistry()),
        client, new LiveCluster(client), directPatch(client), ec2);
  }

  public RecordedEvents events() {
    return events;
  }

  /**
   * One reconcile as JOSDK runs it: the finalizer added first, {@code cleanup} once the policy is
   * being deleted (the finalizer removed when it says so). Returns when to reconcile again.
   */
  public Optional<Duration> reconcile(String policy) {
    NodeNetworkPolicy p = policy(policy);
    if (p.getMetadata().getDeletionTimestamp() != null) {
      DeleteControl d = reconciler.cleanup(p, new HarnessContext(client, p, Optional.empty()));
      if (d.isRemoveFinalizer()) {
        client.resource(p).edit(x -> {
          x.getMetadata().getFinalizers().remove(Api.POLICY_FINALIZER);
          return x;
        });
      }
      return d.getScheduleDelay().map(Duration::ofMillis);
    }
    if (!p.getMetadata().getFinalizers().contains(Api.POLICY_FINALIZER)) {
      p = client.resource(p).edit(x -> {
        x.getMetadata().getFinalizers().add(Api.POLICY_FINALIZER);
        return x;
      });
    }
    return reconciler.reconcile(p, new HarnessContext(client, p, Optional.empty())).getScheduleDelay().map(Duration::ofMillis);
  }

  /** What JOSDK does after a reconcile threw on attempt {@code attempt}: ask for the error status and write it. */
  public void failed(String policy, Exception error, int attempt) {
    NodeNetworkPolicy p = policy(policy);
    RetryInfo retry = new RetryInfo() {
      @Override public int getAttemptCount() { return attempt; }
      @Override public boolean isLastAttempt() { return false; }
    };
    reconciler.updateErrorStatus(p, new HarnessContext(client, p, Optional.of(retry)), error).getResource()
        .ifPresent(withStatus -> patchStatus(client, withStatus, withStatus.getStatus()));
  }

  public NodeNetworkPolicy policy(String name) {
    return client.resources(NodeNetworkPolicy.class).withName(name).get();
  }

  @Override
  public void close() {
    reconciler.close();
    client.close();
  }

  /** One JSON patch of the status subresource that sets the whole status (as the agents write theirs). */
  private static StatusPatcher directPatch(KubernetesClient client) {
    return (policy, context, status) -> patchStatus(client, policy, status);
  }

  private static void patchStatus(KubernetesClient client, NodeNetworkPolicy policy, NodeNetworkPolicyStatus status) {
    String body = client.getKubernetesSerialization().asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
    client.resources(NodeNetworkPolicy.class).withName(policy.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON), body);
  }

  /** The cluster as the API server has it now: every read is a list call. */
  private static final class LiveCluster implements ClusterCache {
    private final KubernetesClient client;

    LiveCluster(KubernetesClient client) {
      this.client = client;
    }

    @Override
    public Stream<NodeNetworkPolicy> policies() {
      return client.resources(NodeNetworkPolicy.class).list().getItems().stream();
    }

    @Override
    public Stream<Node> nodes() {
      return client.nodes().list().getItems().stream();
    }

    @Override
    public Stream<NodeNetworkConfig> configs() {
      return client.resources(NodeNetworkConfig.class).withLabel(Api.POLICY_LABEL).list().getItems().stream();
    }

    @Override
    public void created(NodeNetworkConfig config) { }

    @Override
    public void updated(NodeNetworkConfig config, NodeNetworkConfig before) { }
  }

  /** The part of JOSDK's Context the reconciler uses: the client, the retry, the primary. */
  private record HarnessContext(KubernetesClient client, NodeNetworkPolicy primary, Optional<RetryInfo> retry)
      implements Context<NodeNetworkPolicy> {
    @Override public Optional<RetryInfo> getRetryInfo() { return retry; }
    @Override public KubernetesClient getClient() { return client; }
    @Override public NodeNetworkPolicy getPrimaryResource() { return primary; }
    @Override public <R> Set<R> getSecondaryResources(Class<R> type) { throw unused(); }
    @Override public <R> Optional<R> getSecondaryResource(Class<R> type, String name) { throw unused(); }
    @Override public ControllerConfiguration<NodeNetworkPolicy> getControllerConfiguration() { throw unused(); }
    @Override public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() { throw unused(); }
    @Override public EventSourceRetriever<NodeNetworkPolicy> eventSourceRetriever() { throw unused(); }
    @Override public ExecutorService getWorkflowExecutorService() { throw unused(); }
    @Override public IndexedResourceCache<NodeNetworkPolicy> getPrimaryCache() { throw unused(); }
    @Override public boolean isNextReconciliationImminent() { return false; }
    @Override public boolean isPrimaryResourceDeleted() { return false; }
    @Override public boolean isPrimaryResourceFinalStateUnknown() { return false; }

    private static UnsupportedOperationException unused() {
      return new UnsupportedOperationException("the policy reconciler does not use this part of JOSDK's Context");
    }
  }
}
