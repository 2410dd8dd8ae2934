package io.kimiproxy.proxy.chain;

/**
 * The context window a request must fit.
 *
 * @param maxContext     the model's window in tokens, 0 when unknown (then nothing is checked)
 * @param reservedOutput the part of it kept for the answer
 */
public record Window(long maxContext, long reservedOutput) {
  public static final Window UNKNOWN = new Window(0, 0);

  public boolean fits(long promptTokens) {
    return maxContext == 0 || promptTokens + reservedOutput <= maxContext;
  }

  public double fill(long promptTokens) {
    return maxContext == 0 ? 0.0 : (double) promptTokens / maxContext;
  }
}
