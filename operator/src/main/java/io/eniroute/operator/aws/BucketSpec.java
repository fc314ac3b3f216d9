package io.eniroute.operator.aws;

/**
 * A token bucket's size: {@code burst} tokens at most, refilled at {@code perSecond}.
 */
public record BucketSpec(double burst, double perSecond) {

  /** EC2's documented buckets (per action, per account and region). */
  public static final BucketSpec EC2_DESCRIBE = new BucketSpec(100, 20);
  public static final BucketSpec EC2_DESCRIBE_UNFILTERED = new BucketSpec(50, 10);
  public static final BucketSpec EC2_MUTATING = new BucketSpec(100, 5);
  public static final BucketSpec EC2_ATTACH_ASSOCIATE = new BucketSpec(50, 5);

  public BucketSpec {
    if (burst < 1 || perSecond <= 0) {
      throw new IllegalArgumentException("a bucket needs burst >= 1 and a positive rate, got " + burst + "/" + perSecond);
    }
  }

  /** EC2's bucket for a family of actions. */
  public static BucketSpec ec2(Ec2Action.Family family) {
    return switch (family) {
      case DESCRIBE -> EC2_DESCRIBE;
      case DESCRIBE_UNFILTERED -> EC2_DESCRIBE_UNFILTERED;
      case MUTATING -> EC2_MUTATING;
      case ATTACH_ASSOCIATE -> EC2_ATTACH_ASSOCIATE;
    };
  }

  /** The same bucket with burst and rate multiplied by {@code factor} (headroom below EC2's own). */
  public BucketSpec scaled(double burstFactor, double rateFactor) {
    return new BucketSpec(Math.max(1, Math.floor(burst * burstFactor)), perSecond * rateFactor);
  }
}
