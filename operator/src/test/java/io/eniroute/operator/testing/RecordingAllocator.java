package io.eniroute.operator.testing;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AddressAllocator} that records every call ("ensure node-1 i-node-1", "release ...")
 * and answers at once with one interface, unless a test holds a node's calls behind a gate
 * (EC2 taking its time: throttled, or waiting on a detach).
 */
public final class RecordingAllocator implements AddressAllocator {
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

  /** Calls for {@code node} wait until {@link #open} (at most a minute, so a broken test ends). */
  public void hold(String node) {
    gates.put(node, new CountDownLatch(1));
  }

  public void open(String node) {
    CountDownLatch gate = gates.remove(node);
    if (gate != null) {
      gate.countDown();
    }
  }

  public List<String> calls() {
    return List.copyOf(calls);
  }

  @Override
  public Allocation ensure(Node node, AwsSettings settings, long generation) {
    return call("ensure", node);
  }

  @Override
  public Allocation releaseRetired(Node node, AwsSettings settings, long upToGeneration) {
    return call("releaseRetired", node);
  }

  @Override
  public Allocation release(Node node, AwsSettings settings) {
    return call("release", node);
  }

  private Allocation call(String what, Node node) {
    String name = node.getMetadata().getName();
    CountDownLatch gate = gates.get(name);
    if (gate != null) {
      try {
        gate.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    calls.add(what + " " + name + " " + node.getSpec().getProviderID());
    return Allocation.done(List.of(new InterfaceAddresses("02:00:00:00:00:01", List.of("10.0.0.10"))));
  }
}
