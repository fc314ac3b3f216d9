package io.eniroute.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of a fault campaign: points tried, converged, and each way a point can miss
 * (leaked, unclear status, ...), with one line per miss naming the point. {@link #report}
 * prints them as the campaign's summary and fails the test unless every point converged and
 * nothing else missed.
 */
public final class CampaignTally {
  private final String name;
  private final Map<String, Integer> misses = new LinkedHashMap<>();
  private final List<String> lines = new ArrayList<>();
  private int tried;
  private int converged;

  /** {@code kinds}: the ways a point can miss besides not converging, in the order printed (all start at 0). */
  public CampaignTally(String name, String... kinds) {
    this.name = name;
    for (String k : kinds) {
      misses.put(k, 0);
    }
  }

  public void tried() {
    tried++;
  }

  public void converged() {
    converged++;
  }

  /** The point did not converge: {@code why}. */
  public void notConverged(Object point, String why) {
    lines.add(point + ": not converged: " + why);
  }

  /** The point missed in way {@code kind} (one of the constructor's kinds). */
  public void missed(String kind, Object point, String why) {
    if (!misses.containsKey(kind)) {
      throw new IllegalArgumentException("unknown kind " + kind + "; known: " + misses.keySet());
    }
    misses.merge(kind, 1, Integer::sum);
    lines.add(point + ": " + kind + ": " + why);
  }

  /** A point that proves nothing (its fault never struck): counted as a miss of the campaign itself. */
  public void invalid(Object point, String why) {
    lines.add(point + ": " + why);
  }

  public String summary() {
    StringBuilder s = new StringBuilder(name + ": " + tried + " points tried, " + converged + " converged");
    misses.forEach((k, n) -> s.append(", ").append(n).append(' ').append(k));
    return s.toString();
  }

  /** Prints the summary and every miss; fails unless {@code expected} points were tried, all converged, nothing missed. */
  public void report(int expected) {
    System.out.println(summary());
    lines.forEach(l -> System.out.println("  " + l));
    if (tried != expected || converged != tried || !lines.isEmpty()) {
      throw new AssertionError(summary() + " (expected " + expected + " points)\n  " + String.join("\n  ", lines));
    }
  }
}
