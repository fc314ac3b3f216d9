package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Reasons;
import io.eniroute.operator.aws.Allocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs EC2 calls (allocations and releases) off the reconcile thread: an allocation may wait
 * seconds in the rate limiter, and a reconcile that waited with it would hold back every other
 * node and policy. A reconcile {@link #poll polls}: the first poll starts the work and returns
 * empty, a poll after it finished returns the result once. When work finishes, the policy is
 * woken ({@code onDone}), so the result is used at once and no timer is needed.
 */
final class Ec2Work implements AutoCloseable {
  static final int THREADS = 8;
  private static final Logger log = LoggerFactory.getLogger(Ec2Work.class);

  /** One piece of work: ensure or release, for a node, on behalf of a policy generation. */
  record Key(String job, String policy, String node, long generation) {
    Key anyGeneration() {
      return new Key(job, policy, node, 0);
    }
  }

  private final ExecutorService pool;
  private final Map<Key, CompletableFuture<Allocation>> running = new ConcurrentHashMap<>();
  private final Map<Key, Allocation> last = new ConcurrentHashMap<>();
  // work not finished yet, by job, policy and node (any generation): how many
  private final Map<Key, Integer> inFlight = new ConcurrentHashMap<>();
  private volatile Consumer<String> onDone = policy -> { };

  Ec2Work(ExecutorService pool) {
    this.pool = pool;
  }

  static Ec2Work withThreads(int threads) {
    return new Ec2Work(Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ec2-work");
      t.setDaemon(true);
      return t;
    }));
  }

  /** Who to tell that a policy's work finished (the reconciler's event source). */
  void onDone(Consumer<String> wake) {
    this.onDone = wake;
  }

  /** The result if the work finished (then forgotten), else empty (the work runs; started now if it was not). */
  Optional<Allocation> poll(Key key, Supplier<Allocation> work) {
    CompletableFuture<Allocation> f = running.computeIfAbsent(key, k -> {
      inFlight.merge(k.anyGeneration(), 1, Integer::sum);
      CompletableFuture<Allocation> started = CompletableFuture.supplyAsync(() -> guarded(k, work), pool);
      started.whenComplete((a, e) -> {
        inFlight.computeIfPresent(k.anyGeneration(), (x, n) -> n == 1 ? null : n - 1);
        onDone.accept(k.policy());
      });
      return started;
    });
    if (!f.isDone()) {
      return Optional.empty();
    }
    running.remove(key, f);
    Allocation result = f.join();
    // one entry per job, policy and node (any generation), and only while incomplete: bounded by the nodes
    if (result.complete()) {
      last.remove(key.anyGeneration());
    } else {
      last.put(key.anyGeneration(), result);
    }
    return Optional.of(result);
  }

  /** The incomplete result {@link #poll} returned last for {@code key} (a status can keep showing it while a retry runs). */
  Optional<Allocation> last(Key key) {
    return Optional.ofNullable(last.get(key.anyGeneration()));
  }

  /** Whether {@code job} runs now for {@code node} on behalf of {@code policy} (any generation). */
  boolean runs(String job, String policy, String node) {
    return inFlight.containsKey(new Key(job, policy, node, 0));
  }

  /** Drops the results nobody will ask for (a deleted policy); running work finishes unobserved. */
  void forget(String policy) {
    running.keySet().removeIf(k -> k.policy().equals(policy));
    last.keySet().removeIf(k -> k.policy().equals(policy));
  }

  private static Allocation guarded(Key key, Supplier<Allocation> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      log.warn("node {}: EC2 {} failed", key.node(), key.job(), e);
      return Allocation.pending(List.of(), Reasons.AWS_ERROR, "EC2 " + key.job() + " failed: " + e.getMessage());
    }
  }

  /** Stops the threads: work in flight is interrupted; EC2 calls are idempotent, the next leader redoes them. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("EC2 work did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
