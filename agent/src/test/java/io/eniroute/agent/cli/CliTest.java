package io.eniroute.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eniroute.agent.AgentMain;
import io.eniroute.lab.Lab;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import io.eniroute.lab.LabExtension;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI contract of issue 3, run in-process against a lab node. */
@ExtendWith(LabExtension.class)
class CliTest {
  private static final Duration OK = Duration.ofSeconds(3);
  private static final String MAC0 = "0a:00:00:00:00:10";
  private static final String MAC1 = "0a:00:00:00:00:11";

  @TempDir Path dir;
  private Lab lab;
  private String ns;
  private Path config;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void node(Lab testLab) throws Exception {
    lab = testLab;
    ns = lab.addNode("n");
    lab.attachEni("n", "eth0", MAC0);
    lab.attachEni("n", "eth1", MAC1);
    lab.assignAddresses("n", MAC0, List.of("10.0.0.10", "10.0.0.130"));
    lab.assignAddresses("n", MAC1, List.of("10.0.0.11", "10.0.0.131"));
    // The host starts with only its primary addresses, as EC2 boots it; the config adds the rest.
    lab.ipBatch("n", "addr add 10.0.0.10/24 dev eth0", "addr add 10.0.0.11/24 dev eth1",
        "route add default via 10.0.0.1 dev eth0");
    config = dir.resolve("node.yaml");
    Files.writeString(config, """
        apiVersion: eniroute.io/v1alpha1
        kind: NodeNetworkConfig
        metadata:
          name: ip-10-0-0-10
        spec:
          interfaces:
            exclude:
              - name: "docker*"
          routing:
            tableBase: 10000
            priorityBase: 10000
            mainTable: RemoveDuplicates
            mainDestinations: ["172.17.0.0/16"]
            rpFilter: Loose
            arpHardening: true
          addresses:
            - mac: "0a:00:00:00:00:10"
              deviceIndex: 0
              addresses: ["10.0.0.10/24", "10.0.0.130/24"]
            - mac: "0a:00:00:00:00:11"
              deviceIndex: 1
              addresses: ["10.0.0.11/24", "10.0.0.131/24"]
        """);
  }

  private Run run(String... args) {
    return run(new CliFactory(InputStream.nullInputStream(), () -> {
      throw new AssertionError("this command must not call the API server");
    }, Map.of()), args);
  }

  private Run run(CliFactory inputs, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = AgentMain.commandLine(inputs);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    int exit = cl.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static CliFactory stdin(String text) {
    return new CliFactory(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), () -> {
      throw new AssertionError("-f - must not call the API server");
    }, Map.of());
  }

  private String rules() {
    return lab.exec("n", "ip", "-4", "rule") + lab.exec("n", "ip", "-4", "route", "show", "table", "all");
  }

  @Test
  void planPrintsTheExactCommandsAndChangesNothing() throws Exception {
    String before = rules();
    Run text = run("plan", "-f", config.toString(), "--netns", ns);
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out()).contains(
        "ip -n " + ns + " address add 10.0.0.131/24 dev eth1 noprefixroute",
        "ip -n " + ns + " rule add priority 10001 from 10.0.0.131/32 lookup 10001 protocol 228",
        "ip -n " + ns + " route add default via 10.0.0.1 dev eth1 table 10001 proto 228",
        "ip -n " + ns + " rule add priority 9999 to 172.17.0.0/16 lookup 254 protocol 228",
        "ip -n " + ns + " route del 10.0.0.0/24 dev eth1 table 254 proto 2 scope link src 10.0.0.11",
        "ip netns exec " + ns + " sysctl -w net.ipv4.conf.eth1.rp_filter=2");
    Run json = run("plan", "-f", config.toString(), "--netns", ns, "-o", "json");
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.path("ok").asBoolean()).isTrue();
    assertThat(doc.path("operations").size()).isEqualTo(text.out().strip().split("\n").length);
    assertThat(rules()).isEqualTo(before);
  }

  @Test
  void applyStatusRevertRoundTrip() {
    String before = rules();
    Run apply = run("apply", "-f", config.toString(), "--netns", ns);
    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out()).startsWith("APPLIED: ").contains("eniroute owns 5 rule(s), 4 route(s)", "eth1", "table 10001");
    for (String a : List.of("10.0.0.10", "10.0.0.130", "10.0.0.11", "10.0.0.131")) {
      assertThat(lab.pingFromClient(a, 1, OK)).as("client pings %s", a).isTrue();
    }
    Run again = run("apply", "-f", config.toString(), "--netns", ns);
    assertThat(again.out()).startsWith("NO_CHANGE: 0 kernel write(s)");

    Run status = run("status", "--netns", ns);
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("eniroute owns 5 rule(s) and 4 route(s)", "removed 1 main route(s)",
        "added 2 address(es)");
    Run statusJson = run("status", "--netns", ns, "-o", "json");
    assertThat(statusJson.out()).contains("\"ownedRules\" : 5");

    Run revert = run("revert", "--netns", ns);
    assertThat(revert.exit()).as(revert.err()).isZero();
    assertThat(revert.out()).startsWith("REVERTED");
    assertThat(rules()).isEqualTo(before);
    assertThat(lab.exec("n", "ip", "-4", "-o", "addr")).doesNotContain("10.0.0.130", "10.0.0.131");
  }

  @Test
  void badInputGivesOneLineNamingTheProblemAndChangesNothing() throws Exception {
    String before = rules();
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "routing:\n  rpFilters: Loose\n");
    Run r1 = run("apply", "-f", typo.toString(), "--netns", ns);
    assertThat(r1.exit()).isEqualTo(1);
    assertThat(r1.err().strip()).doesNotContain("\n").contains("spec.routing", "rpFilters");

    Path cidr = dir.resolve("cidr.yaml");
    Files.writeString(cidr, "routing:\n  mainDestinations: [\"172.17.0.0/33\"]\n");
    Run r2 = run("apply", "-f", cidr.toString(), "--netns", ns);
    assertThat(r2.exit()).isEqualTo(1);
    assertThat(r2.err().strip()).doesNotContain("\n").contains("InvalidConfig", "spec.routing.mainDestinations[0]");

    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, "interfaces:\n  include:\n    - name: eth7\n");
    Run r3 = run("plan", "-f", unknown.toString(), "--netns", ns);
    assertThat(r3.exit()).isEqualTo(1);
    assertThat(r3.err()).contains("spec.interfaces.include[0].name", "eth7");

    Run r4 = run("apply", "-f", dir.resolve("missing.yaml").toString(), "--netns", ns);
    assertThat(r4.exit()).isEqualTo(1);
    assertThat(r4.err()).contains("missing.yaml: no such file");

    Run r5 = run("apply", "--netns", ns);
    assertThat(r5.exit()).isEqualTo(2);
    assertThat(r5.err()).contains("--file");
    assertThat(rules()).isEqualTo(before);
  }

  @Test
  void planDashFReadsTheConfigFromStdinAndPrintsWhatTheFileWouldGive() throws Exception {
    Run fromFile = run("plan", "-f", config.toString(), "--netns", ns);
    Run fromStdin = run(stdin(Files.readString(config)), "plan", "-f", "-", "--netns", ns);
    assertThat(fromStdin.exit()).as(fromStdin.err()).isZero();
    assertThat(fromStdin.out()).isEqualTo(fromFile.out())
        .contains("ip -n " + ns + " rule add priority 10001 from 10.0.0.131/32 lookup 10001 protocol 228");
  }

  @Test
  void aBadDocumentOnStdinIsRejectedNamingStdinAndTheField() {
    Run r = run(stdin("routing:\n  rpFilters: Loose\n"), "apply", "-f", "-", "--netns", ns);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("eniroute-agent: stdin: spec.routing").contains("rpFilters");
  }

  @Test
  void planWithoutFileReadsTheNodesOwnConfigFromTheApiServer() throws Exception {
    KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of(CustomResourceDefinitionContext.fromCustomResourceType(NodeNetworkConfig.class))), false);
    api.init();
    try (KubernetesClient seed = api.createClient()) {
      NodeNetworkConfig nnc = new NodeNetworkConfig();
      nnc.setMetadata(new ObjectMetaBuilder().withName("ip-10-0-0-10").build());
      nnc.setSpec(ConfigFile.load(config));
      seed.resources(NodeNetworkConfig.class).resource(nnc).create();

      CliFactory inCluster = new CliFactory(InputStream.nullInputStream(), api::createClient, Map.of("NODE_NAME", "ip-10-0-0-10"));
      Run r = run(inCluster, "plan", "--netns", ns);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo(run("plan", "-f", config.toString(), "--netns", ns).out())
          .contains("ip -n " + ns + " route add default via 10.0.0.1 dev eth1 table 10001 proto 228");

      Run other = run(inCluster, "plan", "--node", "ip-10-0-0-99", "--netns", ns);
      assertThat(other.exit()).isEqualTo(1);
      assertThat(other.err()).contains("no NodeNetworkConfig named ip-10-0-0-99", "kubectl get nnp");
    } finally {
      api.destroy();
    }
  }

  @Test
  void planWithNeitherFileNorNodeSaysHowToGiveAConfig() {
    Run r = run("plan", "--netns", ns);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("-f FILE", "-f - (stdin)", "--node NAME");
  }
}
