package io.eniroute.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.operator.aws.FaultyEc2.Call;
import io.eniroute.operator.aws.FaultyEc2.Fault;
import io.eniroute.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The EC2 fault campaign at the allocator (breadth; the reconciler's share is
 * Ec2FaultCampaignPolicyTest). A dry run of the full lifecycle — allocate (3 interfaces x 2
 * secondary addresses x Elastic IPs), lower the counts (2 x 1), release — lists every EC2 call the
 * operator makes; a second lifecycle releases right after the allocation, while EC2's listings may
 * still leave the new interfaces out. Then, for every call and every fault EC2 can answer it with (FaultyEc2.Fault:
 * RequestLimitExceeded once and three times, InsufficientFreeAddressesInSubnet,
 * AttachmentLimitExceeded, eventual-consistency NotFound, a 500 or a timeout after EC2 acted),
 * a fresh EC2 with co-tenants gets the fault at that call and the lifecycle is driven to its end,
 * the allocator called again as the reconciler would (15 s apart; the clock moves past the
 * subnet cool-down). Each point is judged: converged after every phase, nothing duplicated,
 * nothing leaked after release, the co-tenants untouched, every incomplete result with a reason
 * and a sentence a person can act on. A second set makes the subnet run out for good at each
 * call that takes addresses: the allocator must say SubnetFull naming the subnet and the fix, and
 * release what it made.
 */
class Ec2FaultCampaignTest {
  static final AwsSettings WANTED = Ec2CampaignWorld.settings(3, 2);
  static final AwsSettings LOWERED = Ec2CampaignWorld.settings(2, 1);
  /** Interfaces the lifecycle needs created: WANTED's beyond the primary. */
  static final int CREATED = 2;
  static final int MAX_PASSES = 8;

  /**
   * ALLOCATE at generation 1; lowering the counts at generation 2 first RETIREs the surplus
   * (withdrawn, still in EC2), then RELEASE_RETIRED once the agent applied generation 2; RELEASE
   * is the policy's deletion.
   */
  enum Phase { ALLOCATE, RETIRE, RELEASE_RETIRED, RELEASE }

  /**
   * The lifecycles driven: the full one (EC2's listings caught up between phases), and a policy
   * deleted right after its allocation, while the listings may still lag behind the new interfaces.
   */
  enum Lifecycle {
    FULL(List.of(Phase.ALLOCATE, Phase.RETIRE, Phase.RELEASE_RETIRED, Phase.RELEASE), true),
    DELETED_AT_ONCE(List.of(Phase.ALLOCATE, Phase.RELEASE), false);

    final List<Phase> phases;
    final boolean settles;

    Lifecycle(List<Phase> phases, boolean settles) {
      this.phases = phases;
      this.settles = settles;
    }
  }

  private final List<String> failures = new ArrayList<>();
  private int tried;
  private int converged;
  private int leaked;
  private int duplicated;
  private int touched;
  private int unclear;

  /** One run: a fresh world, the allocator on it, the clock the cool-down reads. */
  private static final class Run {
    final Ec2CampaignWorld world = new Ec2CampaignWorld();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Ec2AddressAllocator allocator = new Ec2AddressAllocator(r -> world.faulty, new InstanceTypeLimitsSource(),
        new SubnetCooldown(clock, Ec2AddressAllocator.SUBNET_COOL_DOWN));
    final Node node = Nodes.node("node-a", world.instance, "us-east-1");
    final List<Allocation> incomplete = new ArrayList<>();

    /** Calls the allocator until it reports complete (at most MAX_PASSES); returns the last result. */
    Allocation drive(Phase phase) {
      Allocation a = null;
      for (int pass = 0; pass < MAX_PASSES; pass++) {
        a = switch (phase) {
          case ALLOCATE -> allocator.ensure(node, WANTED, 1);
          case RETIRE -> allocator.ensure(node, LOWERED, 2);
          case RELEASE_RETIRED -> allocator.releaseRetired(node, LOWERED, 2);
          case RELEASE -> allocator.release(node, LOWERED);
        };
        if (a.complete() && (phase != Phase.RELEASE_RETIRED || a.retiring().isEmpty())) {
          break;
        }
        incomplete.add(a);
        clock.advance(Ec2AddressAllocator.SUBNET_COOL_DOWN.plus(Duration.ofMinutes(1)));
      }
      return a;
    }
  }

  @Test
  void everyEc2CallFailingEveryWayItCanEndsConvergedWithNothingLeakedOrDuplicatedAndAClearStatus() {
    for (Lifecycle lifecycle : Lifecycle.values()) {
      campaign(lifecycle);
    }

    System.out.printf("EC2 fault campaign: %d points tried, %d converged, %d leaked, %d duplicated, %d unclear status"
        + " (%d touched a co-tenant)%n", tried, converged, leaked, duplicated, unclear, touched);
    failures.forEach(f -> System.out.println("  " + f));
    assertThat(failures).isEmpty();
    assertThat(tried).isGreaterThan(400);
    assertThat(converged).isEqualTo(tried);
  }

  /** A dry run of {@code lifecycle} lists its calls; then every call gets every fault it can get. */
  private void campaign(Lifecycle lifecycle) {
    Run dry = new Run();
    List<Phase> phaseOfCall = new ArrayList<>();
    for (Phase phase : lifecycle.phases) {
      Allocation a = dry.drive(phase);
      assertThat(a.complete()).as("dry run, %s: %s", phase, a.message()).isTrue();
      assertThat(dry.incomplete).as("dry run, %s", phase).isEmpty();
      while (phaseOfCall.size() < dry.world.faulty.calls().size()) {
        phaseOfCall.add(phase);
      }
      if (lifecycle.settles) {
        dry.world.faulty.settle();
      }
    }
    List<Call> calls = dry.world.faulty.calls();
    System.out.printf("EC2 fault campaign: lifecycle %s makes %d EC2 calls (%s)%n", lifecycle, calls.size(), summary(calls));

    for (int i = 0; i < calls.size(); i++) {
      Call call = calls.get(i);
      String where = lifecycle + " " + phaseOfCall.get(i) + " " + call + " ";
      for (Fault fault : Fault.values()) {
        if (!fault.appliesTo(call.action())) {
          continue;
        }
        point(lifecycle, where + fault, call, fault, 1, false);
        if (fault == Fault.THROTTLED) {
          point(lifecycle, where + fault + " x3", call, fault, 3, false);
        }
        if (fault == Fault.SUBNET_FULL) {
          point(lifecycle, where + fault + " for good", call, fault, Integer.MAX_VALUE, true);
        }
      }
    }
  }

  /**
   * One point: the fault at {@code at} ({@code times} calls in a row), the lifecycle to its end.
   * {@code persistent}: the fault never clears, so allocation must end in a clear SubnetFull and
   * release must still clean up.
   */
  private void point(Lifecycle lifecycle, String label, Call at, Fault fault, int times, boolean persistent) {
    tried++;
    Run run = new Run();
    run.world.faulty.inject(at, fault, times);
    List<String> missed = new ArrayList<>();
    List<String> dup = new ArrayList<>();
    Allocation allocated = run.drive(Phase.ALLOCATE);
    if (persistent && !allocated.complete()) {
      if (!"SubnetFull".equals(allocated.reason()) || !allocated.message().contains(run.world.subnet)
          || !allocated.message().contains("spec.aws.subnetId")) {
        missed.add("allocate: ended " + allocated.reason() + ": " + allocated.message()
            + ", not SubnetFull naming " + run.world.subnet + " and spec.aws.subnetId");
      }
    } else {
      check(missed, "allocate", allocated, run.world.notConverged(WANTED, allocated.interfaces()));
      if (lifecycle.phases.contains(Phase.RETIRE)) {
        run.world.faulty.settle();
        Allocation retired = run.drive(Phase.RETIRE);
        check(missed, "retire", retired, run.world.notConverged(LOWERED, retired.interfaces()));
        run.world.faulty.settle();
        Allocation released = run.drive(Phase.RELEASE_RETIRED);
        check(missed, "release retired", released, run.world.notConverged(LOWERED, released.interfaces()));
        if (released.retiring().isPresent()) {
          missed.add("release retired: surplus still retiring at generation " + released.retiring().getAsLong());
        }
      }
    }
    dup.addAll(run.world.duplicates(CREATED));
    if (lifecycle.settles) {
      run.world.faulty.settle();
    }
    Allocation released = run.drive(Phase.RELEASE);
    if (!released.complete()) {
      missed.add("release: " + released.reason() + ": " + released.message());
    }
    if (run.world.faulty.injected() == 0) {
      missed.add("the fault was never injected: the call did not come");
    }

    if (missed.isEmpty()) {
      converged++;
    } else {
      failures.add(label + ": not converged: " + missed);
    }
    if (!dup.isEmpty()) {
      duplicated++;
      failures.add(label + ": duplicated: " + dup);
    }
    List<String> left = run.world.leaks();
    if (!left.isEmpty()) {
      leaked++;
      failures.add(label + ": leaked: " + left);
    }
    List<String> foreign = run.world.foreignTouched();
    if (!foreign.isEmpty()) {
      touched++;
      failures.add(label + ": touched a co-tenant: " + foreign);
    }
    List<String> vague = run.incomplete.stream().filter(a -> !actionable(a)).map(a -> a.reason() + ": " + a.message()).toList();
    if (!vague.isEmpty()) {
      unclear++;
      failures.add(label + ": unclear status: " + vague);
    }
  }

  private static void check(List<String> missed, String phase, Allocation a, List<String> notConverged) {
    if (!a.complete()) {
      missed.add(phase + ": " + a.reason() + ": " + a.message());
    } else if (!notConverged.isEmpty()) {
      missed.add(phase + ": complete, but " + notConverged);
    }
  }

  /**
   * A status a person can act on: a reason, and a sentence that names what failed and says either
   * that eniroute retries by itself or what to change.
   */
  static boolean actionable(Allocation a) {
    return a.reason() != null && !a.reason().isBlank() && a.message() != null
        && a.message().matches("(?s).*(eniroute retries|spec\\.aws\\.|IAM policy|check the operator).*");
  }

  private static String summary(List<Call> calls) {
    return calls.stream().map(c -> c.action().apiName()).distinct()
        .map(n -> n + " x" + calls.stream().filter(c -> c.action().apiName().equals(n)).count())
        .reduce((a, b) -> a + ", " + b).orElse("");
  }
}
