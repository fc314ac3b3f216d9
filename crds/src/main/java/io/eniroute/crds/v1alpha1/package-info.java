/**
 * The eniroute API, group {@code eniroute.io}, version {@code v1alpha1}.
 *
 * <p>These classes are the single source of truth: the CRD YAML in {@code crds/} and in the Helm
 * chart is generated from them at build time. Validation that a user should see at
 * {@code kubectl apply} time lives here as schema annotations and CEL rules.
 */
package io.eniroute.crds.v1alpha1;
