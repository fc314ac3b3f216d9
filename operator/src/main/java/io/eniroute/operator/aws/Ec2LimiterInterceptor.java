package io.eniroute.operator.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Takes a limiter token for every HTTP request the SDK client sends for one of eniroute's actions.
 * {@code beforeTransmission} runs inside the SDK's retry loop, once per attempt, and a paginator
 * runs one execution per page, so each retry and each page waits for a token of its own, as EC2
 * charges them. Attempts after the first are reported to the retry listener once their token is
 * granted (i.e. when the retry is really sent). Operations eniroute does not call (test set-up
 * through the same client) pass untouched.
 */
public final class Ec2LimiterInterceptor implements ExecutionInterceptor {
  private static final ExecutionAttribute<Integer> ATTEMPTS = new ExecutionAttribute<>("eniroute.ec2.attempts");

  private final Ec2RateLimiter limiter;
  private final Ec2RetryListener retries;

  public Ec2LimiterInterceptor(Ec2RateLimiter limiter, Ec2RetryListener retries) {
    this.limiter = limiter;
    this.retries = retries;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Ec2Action.byApiName(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)).ifPresent(action -> {
      // thrown here, ClientThrottled is no SdkException: the SDK does not retry it, and SdkEc2Gateway unwraps it
      limiter.awaitToken(action);
      Integer before = attributes.getAttribute(ATTEMPTS);
      int attempt = before == null ? 1 : before + 1;
      attributes.putAttribute(ATTEMPTS, attempt);
      if (attempt > 1) {
        retries.retried(action);
      }
    });
  }
}
