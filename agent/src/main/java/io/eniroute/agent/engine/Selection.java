package io.eniroute.agent.engine;

import io.eniroute.crds.v1alpha1.InterfaceStatus;
import java.util.List;

/** Which interfaces are managed (with numbering) and what was seen of every interface. */
public record Selection(List<ManagedInterface> managed, List<InterfaceStatus> statuses) {}
