package io.eniroute.operator.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Puts every HTTP request the SDK client sends for one of eniroute's actions through the limiter:
 * {@code beforeTransmission} runs inside the SDK's retry loop, once per attempt, and a paginator
 * runs one execution per page, so each retry and each page takes an in-flight slot and a token of
 * its own, as EC2 charges them. The slot is given back when the answer arrives
 * ({@code afterTransmission}), when the next attempt starts (the previous one failed on the wire),
 * or when the execution fails. Attempts after the first are reported to the retry listener once
 * they may be sent. Operations eniroute does not call (test set-up through the same client) pass
 * untouched.
 */
public final class Ec2LimiterInterceptor implements ExecutionInterceptor {
  private static final ExecutionAttribute<Integer> ATTEMPTS = new ExecutionAttribute<>("eniroute.ec2.attempts");
  private static final ExecutionAttribute<Ec2RateLimiter.Permit> PERMIT = new ExecutionAttribute<>("eniroute.ec2.permit");

  private final Ec2RateLimiter limiter;
  private final Ec2RetryListener retries;

  public Ec2LimiterInterceptor(Ec2RateLimiter limiter, Ec2RetryListener retries) {
    this.limiter = limiter;
    this.retries = retries;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Ec2Action.byApiName(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)).ifPresent(action -> {
      release(attributes);
      // ClientThrottled is no SdkException: the SDK does not retry it, and SdkEc2Gateway unwraps it
      attributes.putAttribute(PERMIT, limiter.acquire(action));
      Integer before = attributes.getAttribute(ATTEMPTS);
      int attempt = before == null ? 1 : before + 1;
      attributes.putAttribute(ATTEMPTS, attempt);
      if (attempt > 1) {
        retries.retried(action);
      }
    });
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    release(attributes);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    release(attributes);
  }

  /** Closing is idempotent: a permit already given back stays in the attributes harmlessly. */
  private static void release(ExecutionAttributes attributes) {
    Ec2RateLimiter.Permit permit = attributes.getAttribute(PERMIT);
    if (permit != null) {
      permit.close();
    }
  }
}
