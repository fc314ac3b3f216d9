package io.eniroute.lab.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The API server's own record of every request (kube-apiserver {@code --audit-log-path}, JSON
 * lines at level Metadata): who called, with which user agent, what, and the HTTP status. Tests
 * use it to prove what an identity did on the real server rather than what a mock recorded.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
        - level: Metadata
      """;

  /** One completed request. */
  public record Call(String user, String userAgent, String verb, String group, String resource, String subresource,
      String namespace, String name, int code, String timestamp) {
    /** {@code resource} or {@code resource/subresource}. */
    public String fullResource() {
      return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    public boolean isWrite() {
      return List.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
    }
  }

  private final Path dir;
  private final Path file;

  private AuditLog(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("audit.log");
  }

  static AuditLog create() {
    try {
      Path dir = Files.createTempDirectory("eniroute-audit-");
      Files.writeString(dir.resolve("policy.yaml"), POLICY);
      return new AuditLog(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the audit log", e);
    }
  }

  List<String> apiServerFlags() {
    return List.of("--audit-policy-file", dir.resolve("policy.yaml").toString(),
        "--audit-log-path", file.toString(), "--audit-log-format", "json", "--audit-log-mode", "blocking");
  }

  /** Every completed resource request so far (watches count once, when they end). */
  public List<Call> calls() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<Call> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(file)) {
      lines.forEach(line -> {
        try {
          JsonNode e = JSON.readTree(line);
          JsonNode ref = e.path("objectRef");
          if (ref.isMissingNode() || !"ResponseComplete".equals(e.path("stage").asText())) {
            return;
          }
          // An impersonated request is authorized as the impersonated user: that is who called.
          JsonNode who = e.has("impersonatedUser") ? e.path("impersonatedUser") : e.path("user");
          out.add(new Call(who.path("username").asText(), e.path("userAgent").asText(), e.path("verb").asText(),
              ref.path("apiGroup").asText(""), ref.path("resource").asText(), ref.path("subresource").asText(""),
              ref.path("namespace").asText(""), ref.path("name").asText(""), e.path("responseStatus").path("code").asInt(),
              e.path("requestReceivedTimestamp").asText()));
        } catch (IOException partial) {
          // The last line may be half written while the server runs.
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + file, e);
    }
    return out;
  }

  /** The calls {@code user} made. */
  public List<Call> callsBy(String user) {
    return calls().stream().filter(c -> c.user().equals(user)).toList();
  }

  /**
   * Appends {@code component verb group resource} lines (core for the "" group), one per distinct
   * call, to {@code file}: the format the chart's RbacTest checks against the Roles it grants.
   */
  public static void appendPermissions(String component, List<Call> calls, Path file) {
    java.util.Set<String> lines = new java.util.LinkedHashSet<>();
    for (Call c : calls) {
      lines.add(component + " " + c.verb() + " " + (c.group().isEmpty() ? "core" : c.group()) + " " + c.fullResource());
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record API calls in " + file, e);
    }
  }

  void delete() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Temp files left behind are harmless.
    }
  }
}
