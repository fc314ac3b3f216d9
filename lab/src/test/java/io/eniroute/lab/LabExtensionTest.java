package io.eniroute.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * LabExtension deletes the lab when its scope ends even when a test failed: the inner classes
 * fail on purpose, run through the JUnit engine (surefire does not pick up nested classes).
 */
@ExtendWith(NetnsRequired.class)
class LabExtensionTest {
  static final List<String> made = new CopyOnWriteArrayList<>();

  @ExtendWith(LabExtension.class)
  static class AFailingTestWithItsOwnLab {
    @Test
    void fails(Lab lab) {
      lab.addNode("t");
      made.add(lab.netns("t"));
      made.add(lab.vpcNamespace());
      throw new AssertionError("fails on purpose, after making a lab");
    }
  }

  @ExtendWith(LabExtension.class)
  static class AFailingTestInAClassWithOneLab {
    @BeforeAll
    static void classLab(Lab lab) {
      lab.addNode("c");
      made.add(lab.netns("c"));
      made.add(lab.vpcNamespace());
    }

    @Test
    void fails() {
      throw new AssertionError("fails on purpose");
    }
  }

  @Test
  void theLabOfAFailedTestAndTheLabOfAClassWithAFailedTestAreBothDeleted() {
    made.clear();
    for (Class<?> c : List.of(AFailingTestWithItsOwnLab.class, AFailingTestInAClassWithOneLab.class)) {
      EngineTestKit.engine("junit-jupiter").selectors(selectClass(c)).execute()
          .testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    }
    assertThat(made).hasSize(4);
    String left = Cmd.check("ip", "netns", "list");
    assertThat(made).allSatisfy(ns -> assertThat(left).as("namespaces still present").doesNotContain(ns));
  }
}
