package io.eniroute.common;

/** What /healthz and /readyz answer: null when fine, else one sentence saying why not. */
public interface Probes {
  String notLiveReason();

  String notReadyReason();
}
