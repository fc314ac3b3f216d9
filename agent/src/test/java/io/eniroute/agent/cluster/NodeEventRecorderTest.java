package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Folding repeats into one Event with a count, on a clock the test moves; on the real API server,
 * written as the agent of node-a (the chart's Role for Events in "default", the only namespace the
 * API server takes Events about a cluster-scoped object in).
 */
@org.junit.jupiter.api.extension.ExtendWith(io.eniroute.lab.kube.RealApiServer.class)
class NodeEventRecorderTest {
  private static final ObjectReference CONFIG = new ObjectReferenceBuilder().withApiVersion("eniroute.io/v1alpha1")
      .withKind("NodeNetworkConfig").withName("node-a").withUid("0b6c1d3e-0000-4000-8000-000000000001").build();
  private static final NodeEvent ROLLED_BACK = new NodeEvent("Warning", "RolledBack",
      "policy generation 7 was rolled back, the node keeps its previous routing: gateway:eth1:10.0.0.21 failed");

  private final ClusterApi api;
  private final io.fabric8.kubernetes.client.KubernetesClient agent;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T08:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  private final AtomicReference<ObjectReference> subject = new AtomicReference<>(CONFIG);
  private final NodeEventRecorder recorder;

  NodeEventRecorderTest(io.eniroute.lab.kube.ControlPlane plane) {
    api = new ClusterApi(plane);
    agent = api.agentClient("node-a");
    recorder = new NodeEventRecorder(agent, "default", "node-a", subject::get,
        clock, Duration.ofMinutes(10));
  }

  @AfterEach
  void close() {
    recorder.close();
    agent.close();
    api.close();
  }

  private List<Event> events() {
    recorder.flush();
    return api.client.v1().events().inNamespace("default").list().getItems().stream()
        .sorted(Comparator.comparing(Event::getFirstTimestamp)).toList();
  }

  @Test
  void theSameEventWithinTheWindowIsOneEventWithACountAndTheLastTime() {
    recorder.record(ROLLED_BACK);
    now.set(now.get().plusSeconds(60));
    recorder.record(ROLLED_BACK);
    now.set(now.get().plusSeconds(60));
    recorder.record(ROLLED_BACK);

    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(3);
      assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-01T08:00:00Z");
      assertThat(e.getLastTimestamp()).isEqualTo("2026-12-01T08:02:00Z");
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(CONFIG.getUid());
      assertThat(e.getReportingComponent()).isEqualTo("eniroute-agent");
    });
  }

  @Test
  void theSameEventAfterAQuietWindowIsANewEvent() {
    recorder.record(ROLLED_BACK);
    now.set(now.get().plus(Duration.ofMinutes(11)));
    recorder.record(ROLLED_BACK);

    assertThat(events()).hasSize(2).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void anotherMessageIsAnotherEvent() {
    recorder.record(ROLLED_BACK);
    recorder.record(new NodeEvent("Warning", "RolledBack", "policy generation 8 was rolled back: apiserver failed"));

    assertThat(events()).extracting(Event::getMessage).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void withoutAConfigOnTheServerNothingIsRecorded() {
    subject.set(null);
    recorder.record(ROLLED_BACK);

    assertThat(events()).isEmpty();
  }
}
