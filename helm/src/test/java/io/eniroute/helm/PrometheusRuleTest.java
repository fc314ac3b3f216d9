package io.eniroute.helm;

import io.eniroute.lab.Cmd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts, as helm renders them, are valid Prometheus rules (real {@code promtool
 * check rules}) and fire when they should ({@code promtool test rules} with
 * resources/prometheus/alerts-test.yaml); the PrometheusRule exists only when asked for.
 */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class PrometheusRuleTest {
  private final RenderedCharts.Charts charts;
  @TempDir Path dir;

  PrometheusRuleTest(RenderedCharts.Charts charts) {
    this.charts = charts;
  }

  @Test
  void renderedRulesPassPromtoolCheckAndTheAlertUnitTestsPass() throws Exception {
    Path rules = writeRules();
    Promtool promtool = Promtool.locate(charts.helm().repoRoot());

    Cmd.Result check = promtool.run(dir, "check", "rules", rules.getFileName().toString());
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 7 rules found");

    Files.copy(ValueSet.resourcePath("prometheus/alerts-test.yaml"), dir.resolve("alerts-test.yaml"));
    Cmd.Result test = promtool.run(dir, "test", "rules", "alerts-test.yaml");
    assertThat(test.exit()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void promtoolRejectsARuleThatIsNotValid() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: rate(eniroute_rollbacks_total[5m] > 0\n");
    Cmd.Result check = Promtool.locate(charts.helm().repoRoot()).run(dir, "check", "rules", "bad.yaml");
    assertThat(check.exit()).isNotZero();
  }

  @Test
  void thePrometheusRuleIsRenderedOnlyWhenEnabled() {
    assertThat(kinds(ValueSet.DEFAULTS)).doesNotContain("PrometheusRule");
    assertThat(kinds(ValueSet.METRICS)).contains("PrometheusRule");
  }

  private List<String> kinds(ValueSet values) {
    return charts.of(values).objects().stream().map(o -> o.getKind()).toList();
  }

  /** The rendered PrometheusRule's spec (its groups) as a plain Prometheus rule file. */
  private Path writeRules() throws IOException {
    String rendered = charts.helm().render(ValueSet.METRICS.files());
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode doc : yaml.readerFor(JsonNode.class).<JsonNode>readValues(rendered).readAll()) {
      if (doc != null && "PrometheusRule".equals(doc.path("kind").asText())) {
        rules.add(doc);
      }
    }
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).path("metadata").path("labels").path("release").asText()).isEqualTo("kube-prometheus-stack");
    ObjectNode file = yaml.createObjectNode();
    file.set("groups", rules.get(0).path("spec").path("groups"));
    Path out = dir.resolve("rules.yaml");
    new YAMLMapper().writeValue(out.toFile(), file);
    return out;
  }
}
