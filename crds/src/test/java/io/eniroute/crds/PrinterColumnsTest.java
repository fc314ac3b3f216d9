package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get nnp,nnc} shows the priority-0 printer columns in the order the CRD lists
 * them; fabric8's generator alone would sort them by JSON path, CrdGeneration keeps the declared
 * order. Pinned on the generated YAML (CommittedCrdsTest makes the committed copy equal to it).
 */
class PrinterColumnsTest {
  @Test
  void policyColumnsReadPhaseReadyUpdatedMatchedFailedReasonAge() throws IOException {
    assertThat(columns("nodenetworkpolicies.eniroute.io-v1.yml", 0))
        .containsExactly("Phase", "Ready", "Updated", "Matched", "Failed", "Reason", "Age");
  }

  @Test
  void configColumnsReadPolicyWantedAppliedResultReasonAge() throws IOException {
    assertThat(columns("nodenetworkconfigs.eniroute.io-v1.yml", 0))
        .containsExactly("Policy", "Wanted", "Applied", "Result", "Reason", "Age");
  }

  @Test
  void configWideOutputAddsStateAndRules() throws IOException {
    assertThat(columns("nodenetworkconfigs.eniroute.io-v1.yml", 1)).containsExactly("State", "Rules");
  }

  @Test
  void reasonColumnsReadTheReasonOfTheSummaryCondition() throws IOException {
    assertThat(jsonPath("nodenetworkpolicies.eniroute.io-v1.yml", "Reason")).isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason");
    assertThat(jsonPath("nodenetworkconfigs.eniroute.io-v1.yml", "Reason")).isEqualTo(".status.conditions[?(@.type==\"Applied\")].reason");
  }

  private static List<String> columns(String file, int priority) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode c : printerColumns(file)) {
      if (c.path("priority").asInt(0) == priority) {
        names.add(c.path("name").asText());
      }
    }
    return names;
  }

  private static String jsonPath(String file, String column) throws IOException {
    for (JsonNode c : printerColumns(file)) {
      if (c.path("name").asText().equals(column)) {
        return c.path("jsonPath").asText();
      }
    }
    throw new AssertionError("no column " + column + " in " + file);
  }

  private static JsonNode printerColumns(String file) throws IOException {
    Path generated = GeneratedCrd.GENERATED_DIR.resolve(file);
    JsonNode versions = GeneratedCrd.YAML.readTree(generated.toFile()).path("spec").path("versions");
    assertThat(versions.size()).as("versions in %s", file).isEqualTo(1);
    return versions.get(0).path("additionalPrinterColumns");
  }
}
