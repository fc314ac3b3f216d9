package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.operator.aws.Allocation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** EC2 work off the reconcile thread: started by a poll, result handed once, threads stopped on close. */
class Ec2WorkTest {
  static final Ec2Work.Key KEY = new Ec2Work.Key("ensure", "workers", "node-1", 1);

  @Test
  void theFirstPollStartsTheWorkAndReturnsAtOnceTheResultComesOnceAndWakesThePolicy() {
    List<String> woken = new CopyOnWriteArrayList<>();
    CountDownLatch mayFinish = new CountDownLatch(1);
    try (Ec2Work work = Ec2Work.withThreads(2)) {
      work.onDone(woken::add);
      Optional<Allocation> first = work.poll(KEY, () -> {
        waitFor(mayFinish);
        return Allocation.done(List.of());
      });
      assertThat(first).as("the reconcile does not wait for EC2").isEmpty();
      assertThat(work.runs("ensure", "workers", "node-1")).isTrue();

      mayFinish.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains("workers"));
      assertThat(work.poll(KEY, () -> Allocation.done(List.of()))).hasValueSatisfying(a -> assertThat(a.complete()).isTrue());
      assertThat(work.runs("ensure", "workers", "node-1")).isFalse();
    }
  }

  @Test
  void closeInterruptsWorkInFlightAndLeavesNoThreadRunning() {
    AtomicReference<Thread> worker = new AtomicReference<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Ec2Work work = Ec2Work.withThreads(2);
    work.poll(KEY, () -> {
      worker.set(Thread.currentThread());
      started.countDown();
      try {
        new CountDownLatch(1).await(); // an EC2 call parked in the limiter
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      return Allocation.done(List.of());
    });
    waitFor(started);

    work.close();

    assertThat(interrupted).as("the parked call was interrupted").isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !worker.get().isAlive());
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
