package io.eniroute.operator;

/** Entry point of {@code eniroute-operator}. The reconcilers arrive with the operator issue. */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) {
    System.out.println("usage: eniroute-operator [options]");
    System.exit(args.length == 0 ? 0 : 2);
  }
}
