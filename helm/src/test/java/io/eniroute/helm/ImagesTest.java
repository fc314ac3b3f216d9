package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No engine builds the images in CI, so this keeps the Dockerfiles, the Maven outputs and the
 * chart consistent: the jar each image copies is the one its module builds, the command the
 * chart runs exists in the image, and the operator's image user is the chart's runAsUser.
 */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class ImagesTest {
  private final RenderedCharts.Charts charts;
  private final Path root;

  ImagesTest(RenderedCharts.Charts charts) {
    this.charts = charts;
    this.root = charts.helm().repoRoot();
  }

  @Test
  void eachImageIsMultiStageAndCopiesWhatItsModuleBuilds() throws IOException {
    for (String component : new String[] {"agent", "operator"}) {
      String dockerfile = Files.readString(root.resolve("images/" + component + ".Dockerfile"));
      String pom = Files.readString(root.resolve(component + "/pom.xml"));
      assertThat(pom).contains("<finalName>eniroute-" + component + "</finalName>");
      assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count()).as(component).isEqualTo(2);
      assertThat(dockerfile)
          .contains("mvn -B -ntp -pl " + component + " -am package -DskipTests")
          .contains("cp " + component + "/target/eniroute-" + component + ".jar /out/")
          .contains("cp -r " + component + "/target/lib /out/lib")
          .contains("/usr/local/bin/eniroute-" + component);
      String launcher = Files.readString(root.resolve("images/eniroute-" + component + ".sh"));
      assertThat(launcher).contains("exec java -jar /opt/eniroute/eniroute-" + component + ".jar \"$@\"");
      assertThat(Files.isExecutable(root.resolve("images/eniroute-" + component + ".sh"))).isTrue();
    }
  }

  @Test
  void agentImageCarriesIproute2AndTheCommandTheChartRuns() throws IOException {
    String dockerfile = Files.readString(root.resolve("images/agent.Dockerfile"));
    assertThat(dockerfile).contains("iproute2", "iputils-ping", "iputils-arping");
    String command = charts.of(ValueSet.DEFAULTS).agent()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().get(0);
    assertThat(dockerfile).contains("/usr/local/bin/" + command);
  }

  @Test
  void operatorImageUserIsTheChartsNonRootUser() throws IOException {
    Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$")
        .matcher(Files.readString(root.resolve("images/operator.Dockerfile")));
    assertThat(user.find()).as("numeric USER in operator.Dockerfile").isTrue();
    var pod = charts.of(ValueSet.DEFAULTS).operator().getSpec().getTemplate().getSpec();
    assertThat(Long.parseLong(user.group(1))).isPositive().isEqualTo(pod.getSecurityContext().getRunAsUser());
    assertThat(Long.parseLong(user.group(2))).isEqualTo(pod.getSecurityContext().getRunAsGroup());
  }
}
