package io.eniroute.crds;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the CRD YAML (the build runs this in process-test-classes; crds/update-crds.sh copies
 * the result). fabric8's generator puts printer columns in a TreeMap keyed by JSON path
 * (AbstractCustomResourceHandler.handlePrinterColumns), so {@code kubectl get} would show them
 * alphabetically by path; this post-processor restores the order in which the
 * {@code @AdditionalPrinterColumn} annotations are written on the resource class, which is the
 * order users see. Build tooling only, hence test scope: the shipped API jar does not carry it.
 */
public final class CrdGeneration {
  static final List<Class<? extends CustomResource<?, ?>>> RESOURCES = List.of(NodeNetworkPolicy.class, NodeNetworkConfig.class);

  private CrdGeneration() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdGeneration <output directory>");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written = new CRDGenerator()
        .customResourceClasses(new ArrayList<>(RESOURCES))
        .withPostProcessor(new DeclaredColumnOrder())
        .inOutputDir(out)
        .generate();
    if (written != RESOURCES.size()) {
      throw new IllegalStateException("expected " + RESOURCES.size() + " CRDs, generated " + written);
    }
  }

  /** Sorts each version's printer columns into the declaration order of the class's annotations. */
  static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      if (crd instanceof CustomResourceDefinition v1) {
        List<String> declared = declaredJsonPaths(v1.getSpec().getNames().getKind());
        for (CustomResourceDefinitionVersion version : v1.getSpec().getVersions()) {
          List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
          if (columns != null) {
            List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
            sorted.sort(Comparator.comparingInt(c -> position(declared, c.getJsonPath())));
            version.setAdditionalPrinterColumns(sorted);
          }
        }
      }
      return crd;
    }

    private static List<String> declaredJsonPaths(String kind) {
      Class<?> type = RESOURCES.stream().filter(c -> HasMetadata.getKind(c).equals(kind)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no resource class for kind " + kind));
      return Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::jsonPath).toList();
    }

    private static int position(List<String> declared, String jsonPath) {
      int i = declared.indexOf(jsonPath);
      if (i < 0) {
        throw new IllegalStateException("printer column " + jsonPath + " is not declared with @AdditionalPrinterColumn");
      }
      return i;
    }
  }
}
