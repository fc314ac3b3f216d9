package io.eniroute.lab.kube;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One fault {@link FaultyApiProxy} injects: which requests it matches (HTTP method, a regular
 * expression the whole path must match, watch or not), what it answers instead of the server,
 * and how many matching requests it takes before everything passes through again.
 *
 * <pre>{@code ApiFault.on("PATCH", "/apis/eniroute.io/v1alpha1/nodenetworkconfigs/node-a/status").serverError(2)}</pre>
 */
public record ApiFault(String method, Pattern path, Boolean watch, Answer answer, int times, Duration delay, boolean afterServer) {
  /** What a matched request gets. */
  public enum Answer {
    /** 409 Conflict, the Status the server sends when a write carried an old resourceVersion. */
    CONFLICT,
    /**
     * 410 Gone: for a watch, HTTP 200 and one ERROR event with a Status of code 410, reason
     * Expired, as the watch cache answers a resourceVersion it no longer holds; otherwise HTTP 410.
     */
    GONE,
    /** 500 InternalError. */
    SERVER_ERROR,
    /** The server's real answer, {@code delay} late. */
    SLOW,
    /** The server's real answer, after {@link FaultyApiProxy}'s concurrent writer ran: a real 409 where the write was guarded. */
    CONCURRENT_WRITE
  }

  public ApiFault {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1, was " + times);
    }
  }

  /** Matches {@code method} (null: any) on a path matching {@code pathRegex} whole, watch or not. */
  public static Matcher on(String method, String pathRegex) {
    return new Matcher(method, Pattern.compile(pathRegex), null);
  }

  /** Which requests: a step of the builder. */
  public record Matcher(String method, Pattern path, Boolean watch) {
    /** Only watches ({@code ?watch=true}), or only requests that are not. */
    public Matcher watch(boolean isWatch) {
      return new Matcher(method, path, isWatch);
    }

    public ApiFault conflict(int times) {
      return new ApiFault(method, path, watch, Answer.CONFLICT, times, Duration.ZERO, false);
    }

    public ApiFault gone(int times) {
      return new ApiFault(method, path, watch, Answer.GONE, times, Duration.ZERO, false);
    }

    public ApiFault serverError(int times) {
      return new ApiFault(method, path, watch, Answer.SERVER_ERROR, times, Duration.ZERO, false);
    }

    /**
     * 500 after the server has done the work: the request is forwarded and its real answer is
     * dropped, as when a response is lost after etcd committed the write.
     */
    public ApiFault serverErrorAfterCommit(int times) {
      return new ApiFault(method, path, watch, Answer.SERVER_ERROR, times, Duration.ZERO, true);
    }

    public ApiFault slow(int times, Duration delay) {
      return new ApiFault(method, path, watch, Answer.SLOW, times, delay, false);
    }

    public ApiFault concurrentWrite(int times) {
      return new ApiFault(method, path, watch, Answer.CONCURRENT_WRITE, times, Duration.ZERO, false);
    }
  }

  boolean matches(String requestMethod, String requestPath, boolean isWatch) {
    return (method == null || method.equalsIgnoreCase(requestMethod))
        && (watch == null || watch == isWatch)
        && path.matcher(requestPath).matches();
  }

  @Override
  public String toString() {
    String what = switch (answer) {
      case CONFLICT -> "409";
      case GONE -> "410";
      case SERVER_ERROR -> afterServer ? "500 after commit" : "500";
      case SLOW -> "slow " + delay.toMillis() + " ms";
      case CONCURRENT_WRITE -> "concurrent write";
    };
    return what + " x" + times + " on " + (method == null ? "any" : method) + " " + path
        + (watch == null ? "" : watch ? " (watch)" : " (not watch)");
  }
}
