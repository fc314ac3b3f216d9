package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.testing.DirectExecutor;
import io.eniroute.operator.testing.TestCluster;
import io.eniroute.operator.testing.MutableClock;
import io.eniroute.operator.testing.ReconcilerHarness;
import io.eniroute.operator.testing.SimulatedAgents.Behaviour;
import io.eniroute.operator.testing.SimulatedAgents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check in docs/argocd, run by a Lua interpreter (luaj) on policies exactly as
 * the API server returns them after the real reconciler wrote their status.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.eniroute.lab.kube.RealApiServer.class)
class ArgoCdHealthCheckTest {
  static final Path SCRIPT = Path.of("..", "docs", "argocd", "nodenetworkpolicy-health.lua");
  static final Map<String, String> WORKERS = Map.of("role", "worker");

  TestCluster cluster;
  ReconcilerHarness harness;

  record Health(String status, String message) {}

  @BeforeEach
  void setUp(io.eniroute.lab.kube.ControlPlane plane) {
    cluster = new TestCluster(plane);
    harness = new ReconcilerHarness(cluster, new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2)),
        Optional.empty(), new DirectExecutor());
    for (int i = 1; i <= 2; i++) {
      cluster.createNode("node-" + i, WORKERS);
    }
  }

  @AfterEach
  void tearDown() {
    harness.close();
    cluster.close();
  }

  @Test
  void aPolicyIsProgressingWhileRollingOutAndHealthyOnceEveryNodeApplied() throws IOException {
    cluster.client().resource(TestCluster.policy("workers", WORKERS, 1, 0, 60)).create();
    assertThat(health("workers").status()).as("no status yet").isEqualTo("Progressing");

    harness.reconcile("workers");
    assertThat(health("workers")).satisfies(h -> {
      assertThat(h.status()).isEqualTo("Progressing");
      assertThat(h.message()).contains("canary node first");
    });

    answer("node-1", Behaviour.APPLY);
    harness.reconcile("workers");
    answer("node-2", Behaviour.APPLY);
    harness.reconcile("workers");
    assertThat(health("workers")).satisfies(h -> {
      assertThat(h.status()).isEqualTo("Healthy");
      assertThat(h.message()).contains("all 2 selected nodes applied generation 1");
    });

    cluster.client().resources(NodeNetworkPolicy.class).withName("workers").edit(p -> {
      p.getSpec().getRollout().setMaxFailures(1);
      return p;
    });
    assertThat(health("workers")).as("a new generation the operator has not seen").satisfies(h -> {
      assertThat(h.status()).isEqualTo("Progressing");
      assertThat(h.message()).contains("has not observed generation 2");
    });
  }

  @Test
  void aHaltedRolloutIsDegradedWithTheHaltReason() throws IOException {
    cluster.client().resource(TestCluster.policy("workers", WORKERS, 1, 0, 60)).create();
    harness.reconcile("workers");
    answer("node-1", Behaviour.ROLL_BACK);
    harness.reconcile("workers");
    assertThat(health("workers")).satisfies(h -> {
      assertThat(h.status()).isEqualTo("Degraded");
      assertThat(h.message()).contains("halted").contains("eniroute.io/retry");
    });
  }

  @Test
  void aPolicyTheOperatorCannotRollOutIsDegradedWithTheFix() throws IOException {
    NodeNetworkPolicy p = TestCluster.policy("eips", WORKERS, 1, 0, 60);
    p.getSpec().setAws(new AwsSettings());
    cluster.client().resource(p).create();
    harness.reconcile("eips");
    assertThat(health("eips")).satisfies(h -> {
      assertThat(h.status()).isEqualTo("Degraded");
      assertThat(h.message()).contains("--aws");
    });
  }

  @Test
  void aDeletedPolicyIsProgressingWhileItsNodesRevert() throws IOException {
    cluster.client().resource(TestCluster.policy("workers", WORKERS, 2, 0, 60)).create();
    harness.reconcile("workers");
    cluster.client().resources(NodeNetworkPolicy.class).withName("workers").delete();
    harness.reconcile("workers");
    assertThat(health("workers")).satisfies(h -> {
      assertThat(h.status()).isEqualTo("Progressing");
      assertThat(h.message()).contains("waiting for 1 node(s) to revert");
    });
  }

  /** Runs the script the way Argo CD does: the object as the global {@code obj}, a table {status, message} back. */
  Health health(String policy) throws IOException {
    NodeNetworkPolicy p = cluster.client().resources(NodeNetworkPolicy.class).withName(policy).get();
    JsonNode json = cluster.client().getKubernetesSerialization().convertValue(p, JsonNode.class);
    Globals lua = JsePlatform.standardGlobals();
    lua.set("obj", toLua(json));
    LuaValue hs = lua.load(Files.readString(SCRIPT), SCRIPT.getFileName().toString()).call();
    return new Health(hs.get("status").tojstring(), hs.get("message").isnil() ? null : hs.get("message").tojstring());
  }

  static LuaValue toLua(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (n.isObject()) {
      LuaTable t = new LuaTable();
      Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        t.set(f.getKey(), toLua(f.getValue()));
      }
      return t;
    }
    if (n.isArray()) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < n.size(); i++) {
        t.set(i + 1, toLua(n.get(i)));
      }
      return t;
    }
    if (n.isBoolean()) {
      return LuaValue.valueOf(n.booleanValue());
    }
    if (n.canConvertToInt()) {
      return LuaValue.valueOf(n.intValue());
    }
    if (n.isNumber()) {
      return LuaValue.valueOf(n.doubleValue());
    }
    return LuaValue.valueOf(n.asText());
  }

  void answer(String node, Behaviour b) {
    SimulatedAgents.answerNow(cluster.client(), node, b);
  }
}
