package io.eniroute.agent;

import io.eniroute.lab.Lab;
import io.eniroute.lab.NetnsRequired;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One VPC lab per test class, deleted after the class even when a test failed. Real kernel:
 * needs root (NetnsRequired skips with the reason, or fails under CI=true).
 */
@ExtendWith(NetnsRequired.class)
public abstract class LabPerClass {
  protected static Lab lab;

  @BeforeAll
  static void createLab() {
    lab = Lab.create();
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
      lab = null;
    }
  }
}
