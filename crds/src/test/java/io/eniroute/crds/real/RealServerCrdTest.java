package io.eniroute.crds.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.lab.Cmd;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRDs on a real kube-apiserver: installed with the real kubectl as a user would,
 * every example accepted, every invalid sample refused by the server (schema, CEL, strict field
 * validation) with a cause naming the field, printer columns and explain rendered by kubectl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RealApiServer.class)
class RealServerCrdTest {
  private static final Path CRDS = Path.of("");
  private static final Pattern FIELD = Pattern.compile("(?m)^# expect-field: (\\S+)\\s*$");

  private ControlPlane plane;
  private KubernetesClient client;

  @BeforeAll
  void installCrdsWithKubectl(ControlPlane plane) {
    this.plane = plane;
    this.client = plane.adminClient();
    plane.applyCrds(List.of(crdFile("nodenetworkpolicies"), crdFile("nodenetworkconfigs")),
        List.of("nodenetworkpolicies", "nodenetworkconfigs"), "eniroute.io");
  }

  @AfterAll
  void deleteWhatTheTestsCreated() {
    plane.kubectl("delete", "nnp,nnc", "--all", "--wait=false");
    client.close();
  }

  private static Path crdFile(String plural) {
    return CRDS.resolve(plural + ".eniroute.io-v1.yml").toAbsolutePath();
  }

  @Test
  void bothCrdsAreEstablishedWithNoCelCostOrStructuralComplaint() {
    for (String name : List.of("nodenetworkpolicies.eniroute.io", "nodenetworkconfigs.eniroute.io")) {
      var crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(crd.getStatus().getConditions())
          .as("%s conditions", name)
          .anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Established");
            assertThat(c.getStatus()).isEqualTo("True");
          })
          .noneSatisfy(c -> {
            assertThat(c.getType()).isIn("NonStructuralSchema", "KubernetesAPIApprovalPolicyConformant");
            assertThat(c.getStatus()).isEqualTo("True");
          });
    }
  }

  List<Path> examples() {
    return yamlFiles(Path.of("examples"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleIsAcceptedByKubectlApplyWithServerValidation(Path example) {
    Cmd.Result r = plane.kubectl("apply", "--validate=strict", "-f", example.toAbsolutePath().toString());
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  List<Path> invalidSamples() {
    return yamlFiles(Path.of("src/test/resources/invalid"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSamples")
  void invalidSampleIsRefusedByTheServerNamingItsField(Path sample) throws IOException {
    String yaml = Files.readString(sample);
    Matcher m = FIELD.matcher(yaml);
    assertThat(m.find()).as("%s names its field in '# expect-field:'", sample).isTrue();
    String field = m.group(1);
    GenericKubernetesResource doc = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    doc.getMetadata().setName("invalid-" + sample.getFileName().toString().replace(".yaml", ""));

    KubernetesClientException refused = null;
    try {
      client.resource(doc).dryRun().fieldValidation(FieldValidateable.Validation.STRICT).create();
    } catch (KubernetesClientException e) {
      refused = e;
    }
    assertThat(refused).as("%s must be refused by the server", sample).isNotNull();
    assertThat(refused.getCode()).as(refused.getMessage()).isIn(400, 422);
    List<String> named = causes(refused).stream().map(c -> c.getField() + ": " + c.getMessage()).toList();
    assertThat(refused.getMessage() + " " + named).as("%s: the server's error names %s", sample, field).contains(field);
  }

  @Test
  void atLeastTwentyInvalidSamplesAreTriedOnTheServer() {
    assertThat(invalidSamples()).hasSizeGreaterThanOrEqualTo(20);
  }

  @Test
  void kubectlGetRendersThePrinterColumnsOfBothKinds() {
    plane.kubectl("apply", "-f", Path.of("examples/policy-minimal.yaml").toAbsolutePath().toString()).check().out();
    plane.kubectl("apply", "-f", Path.of("examples/nodeconfig-standalone.yaml").toAbsolutePath().toString()).check().out();
    String nnp = plane.kubectl("get", "nnp").check().out();
    String nnc = plane.kubectl("get", "nnc").check().out();
    String wide = plane.kubectl("get", "nnc", "-o", "wide").check().out();
    System.out.println("kubectl get nnp (real server):\n" + nnp + "\nkubectl get nnc (real server):\n" + nnc
        + "\nkubectl get nnc -o wide (real server):\n" + wide);
    assertThat(header(wide)).as("-o wide adds the priority-1 columns").contains("STATE", "RULES");
    List<String> nnpHeader = header(nnp);
    List<String> nncHeader = header(nnc);
    List<String> nnpColumns = printerColumns("nodenetworkpolicies.eniroute.io");
    List<String> nncColumns = printerColumns("nodenetworkconfigs.eniroute.io");
    assertThat(nnpHeader).as("kubectl get nnp renders the CRD's columns in its order")
        .isEqualTo(Stream.concat(Stream.of("NAME"), nnpColumns.stream()).toList());
    assertThat(nncHeader).as("kubectl get nnc renders the CRD's columns in its order")
        .isEqualTo(Stream.concat(Stream.of("NAME"), nncColumns.stream()).toList());
  }

  @Test
  void kubectlExplainDescribesTheRoutingFieldsOfAPolicy() {
    String explain = plane.kubectl("explain", "nnp.spec.routing").check().out();
    System.out.println("kubectl explain nnp.spec.routing (real server):\n" + explain);
    assertThat(explain).contains("KIND:", "NodeNetworkPolicy", "tableBase", "priorityBase");
  }

  private List<String> printerColumns(String crd) {
    return client.apiextensions().v1().customResourceDefinitions().withName(crd).get()
        .getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        // priority 1 columns appear only with -o wide
        .filter(c -> c.getPriority() == null || c.getPriority() == 0)
        .map(c -> c.getName().toUpperCase()).toList();
  }

  private static List<String> header(String table) {
    return List.of(table.lines().findFirst().orElse("").trim().split("\\s{2,}"));
  }

  private static List<StatusCause> causes(KubernetesClientException e) {
    if (e.getStatus() == null || e.getStatus().getDetails() == null || e.getStatus().getDetails().getCauses() == null) {
      return List.of();
    }
    return e.getStatus().getDetails().getCauses();
  }

  private static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
