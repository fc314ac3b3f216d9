package io.eniroute.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorMainTest {
  @Test
  void helpListsTheOptionsAndABadOptionIsRejectedByName() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new OperatorMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("--kubeconfig", "--server", "--health-port", "--metrics-port",
        "--leader-election", "--aws", "--ec2-endpoint", "--region");

    StringWriter err = new StringWriter();
    CommandLine bad = new CommandLine(new OperatorMain()).setErr(new PrintWriter(err));
    assertThat(bad.execute("--health-port", "eighty")).isEqualTo(2);
    assertThat(err.toString()).contains("--health-port").contains("eighty");
  }

  @Test
  void theLeaseDefaultsToThePodsNamespaceAndEventsToDefaultWhereTheApiServerAcceptsThem() throws Exception {
    assertThat(OperatorMain.ownNamespace("eniroute-system")).isEqualTo("eniroute-system");
    assertThat(OperatorMain.ownNamespace(" kube-system\n")).isEqualTo("kube-system");
    OperatorMain main = new OperatorMain();
    new CommandLine(main).parseArgs();
    assertThat(main.eventNamespace).isEqualTo("default");
    StringWriter out = new StringWriter();
    new CommandLine(new OperatorMain()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(out.toString()).contains("--event-namespace").contains("cluster-scoped");
  }
}
