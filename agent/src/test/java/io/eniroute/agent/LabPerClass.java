package io.eniroute.agent;

import io.eniroute.lab.Lab;
import io.eniroute.lab.LabExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One VPC lab per test class (from {@link LabExtension}, which deletes it after the class even
 * when a test failed). Real kernel: needs root (skips with the reason, or fails under CI=true).
 */
@ExtendWith(LabExtension.class)
public abstract class LabPerClass {
  protected static Lab lab;

  @BeforeAll
  static void useLab(Lab classLab) {
    lab = classLab;
  }

  @AfterAll
  static void forgetLab() {
    lab = null;
  }
}
