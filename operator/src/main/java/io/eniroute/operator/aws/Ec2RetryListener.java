package io.eniroute.operator.aws;

/** Told of every SDK retry that is sent (the second and later attempts of one EC2 call). */
@FunctionalInterface
public interface Ec2RetryListener {
  Ec2RetryListener NONE = action -> {};

  void retried(Ec2Action action);
}
