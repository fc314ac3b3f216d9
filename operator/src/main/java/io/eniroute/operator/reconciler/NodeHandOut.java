package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.reconciler.PolicyObserver.Observation;
import io.eniroute.operator.rollout.RolloutPlanner;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Step 5: hands the planned nodes the policy's current generation. With {@code spec.aws} a node
 * first needs its EC2 addresses: that work runs in {@link Ec2Work} and the node is handed out by
 * the reconcile that finds it done. Surplus of lowered counts is left out of the spec and marked
 * retiring ({@link SurplusRelease} releases it once the agent applied this spec). Config writes go out several at a time (a wave of hundreds
 * written one by one would stretch the rollout) and are waited for: they are API calls of
 * milliseconds. A failed write fails the reconcile (retried with backoff), with every failure of
 * the batch attached; the writes that succeeded are in the cache and are not repeated.
 */
final class NodeHandOut implements AutoCloseable {
  static final int WRITE_PARALLELISM = 8;

  /**
   * What this step did: nodes handed, nodes whose EC2 work runs, nodes whose EC2 work ended
   * incomplete, and how many of the handed nodes had failed under an older retry token.
   */
  record Result(List<String> handed, List<String> allocating, List<NodeFailure> awsWaiting, int retried) {
    static final Result NOTHING = new Result(List.of(), List.of(), List.of(), 0);
  }

  private final ConfigWriter writer;
  private final Optional<AddressAllocator> allocator;
  private final Ec2Work ec2;
  private final ExecutorService writes;

  NodeHandOut(ConfigWriter writer, Optional<AddressAllocator> allocator, Ec2Work ec2, ExecutorService writes) {
    this.writer = writer;
    this.allocator = allocator;
    this.ec2 = ec2;
    this.writes = writes;
  }

  static ExecutorService writePool() {
    return Executors.newFixedThreadPool(WRITE_PARALLELISM, r -> {
      Thread t = new Thread(r, "nnc-writer");
      t.setDaemon(true);
      return t;
    });
  }

  Result handOut(NodeNetworkPolicy policy, List<String> toHand, Observation seen, RolloutPlanner.Rules rules, Instant now) {
    AwsSettings aws = policy.getSpec().getAws();
    List<String> allocating = new ArrayList<>();
    List<NodeFailure> awsWaiting = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    List<List<InterfaceAddresses>> addresses = new ArrayList<>();
    List<Map<String, String>> retiring = new ArrayList<>();
    for (String node : toHand) {
      if (aws == null) {
        ready.add(node);
        addresses.add(List.of());
        retiring.add(Map.of());
        continue;
      }
      Node n = seen.nodes().get(node);
      Ec2Work.Key key = new Ec2Work.Key("allocation", policy.getMetadata().getName(), node, policy.getMetadata().getGeneration());
      long generation = policy.getMetadata().getGeneration();
      Optional<Allocation> done = ec2.poll(key, () -> allocator.orElseThrow().ensure(n, aws, generation));
      if (done.isEmpty()) {
        allocating.add(node);
      } else if (!done.get().complete()) {
        awsWaiting.add(new NodeFailure(node, done.get().reason(), done.get().message()));
      } else {
        ready.add(node);
        addresses.add(done.get().interfaces());
        retiring.add(SurplusRelease.annotation(done.get()));
      }
    }
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int i = 0; i < ready.size(); i++) {
      String node = ready.get(i);
      var spec = ConfigSpecs.present(policy, addresses.get(i), rules.retryToken());
      // The retiring mark goes out in the same write as the spec that no longer lists the surplus.
      Map<String, String> instance = new LinkedHashMap<>(aws == null ? Map.of() : DepartedNode.annotations(seen.nodes().get(node)));
      instance.putAll(retiring.get(i));
      pending.add(CompletableFuture.runAsync(
          () -> writer.hand(policy, node, seen.configs().get(node), spec, instance, now), writes));
    }
    RuntimeException failure = null;
    List<String> handed = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      try {
        pending.get(i).join();
        handed.add(ready.get(i));
      } catch (CompletionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    int retried = (int) handed.stream().map(seen.configs()::get)
        .filter(c -> c != null && Objects.equals(c.getSpec().getPolicyGeneration(), rules.generation())
            && !Objects.equals(c.getSpec().getRetryToken(), rules.retryToken()))
        .count();
    return new Result(handed, allocating, awsWaiting, retried);
  }

  @Override
  public void close() {
    writes.shutdownNow();
    try {
      writes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
