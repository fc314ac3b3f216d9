package io.eniroute.agent.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import java.io.PrintWriter;

/** How reports look on a terminal (text) or to a program (json). */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  enum Format { text, json }

  private Output() {}

  static void json(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void interfaces(PrintWriter out, ApplyReport r) {
    for (InterfaceStatus i : r.interfaces()) {
      if (Boolean.TRUE.equals(i.getManaged())) {
        out.printf("  %-15s %s table %s priority %s subnet %s gateway %s addresses %s%n", i.getName(), i.getMac(),
            i.getTable() == null ? "-" : i.getTable(), i.getPriority() == null ? "-" : i.getPriority(),
            i.getSubnet(), i.getGateway(), i.getAddresses());
      } else {
        out.printf("  %-15s not managed: %s%n", i.getName(), i.getNote());
      }
    }
  }

  /** The one-line failure message on stderr, and the exit code. */
  static int failure(PrintWriter err, ApplyReport r) {
    err.println("eniroute-agent: " + r.reason() + ": " + r.message());
    return 1;
  }
}
