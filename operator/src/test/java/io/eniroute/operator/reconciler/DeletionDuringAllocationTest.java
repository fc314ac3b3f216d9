package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.testing.MutableClock;
import io.eniroute.operator.testing.ReconcilerHarness;
import io.eniroute.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A policy deleted while a node's EC2 allocation still runs: the release waits for it. */
@ExtendWith(RealApiServer.class)
class DeletionDuringAllocationTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2));
  final CountDownLatch allocationMayFinish = new CountDownLatch(1);
  final AtomicInteger releasesStarted = new AtomicInteger();
  final ExecutorService ec2Threads = Executors.newFixedThreadPool(2);
  TestCluster cluster;

  /** Allocations wait for the test; releases count themselves when they start. */
  final AddressAllocator allocator = new AddressAllocator() {
    @Override
    public Allocation ensure(Node node, AwsSettings settings, long generation) {
      try {
        allocationMayFinish.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Allocation.pending(List.of(), "SubnetFull", "subnet-1 has no free addresses; eniroute retries");
    }

    @Override
    public Allocation releaseRetired(Node node, AwsSettings settings, long upToGeneration) {
      return Allocation.done(List.of());
    }

    @Override
    public Allocation release(Node node, AwsSettings settings) {
      releasesStarted.incrementAndGet();
      return Allocation.done(List.of());
    }
  };

  @BeforeEach
  void setUp(ControlPlane plane) {
    cluster = new TestCluster(plane);
    cluster.createNode("node-1", WORKERS);
  }

  @AfterEach
  void tearDown() {
    allocationMayFinish.countDown();
    cluster.close();
  }

  @Test
  void aReleaseDoesNotStartWhileTheNodesAllocationStillRunsAndFollowsOnceItEnds() {
    try (ReconcilerHarness harness = new ReconcilerHarness(cluster, clock, Optional.of(allocator), ec2Threads)) {
      NodeNetworkPolicy p = TestCluster.policy("eips", WORKERS, 1, 0, 60);
      p.getSpec().setAws(new AwsSettings());
      cluster.client().resource(p).create();
      harness.reconcile("eips"); // the allocation starts and waits
      cluster.client().resources(NodeNetworkPolicy.class).withName("eips").delete();

      harness.reconcile("eips");
      harness.reconcile("eips");

      assertThat(releasesStarted).as("a release beside a running allocation would be undone by it").hasValue(0);
      assertThat(harness.policy("eips")).as("the finalizer waits").isNotNull();

      allocationMayFinish.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        harness.reconcile("eips");
        return harness.policy("eips") == null;
      });
      assertThat(releasesStarted.get()).isPositive();
    }
  }
}
