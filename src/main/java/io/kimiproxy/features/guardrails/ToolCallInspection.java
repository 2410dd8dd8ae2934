package io.kimiproxy.features.guardrails;

/** The inspection of one model answer: a fixed set of rules applied to each of its tool calls. */
public interface ToolCallInspection {
  /**
   * Whether any rule of this inspection can block a call. When none can, a stream's tool calls
   * need not be held back: they are relayed as they arrive and judged (recorded) once complete.
   */
  boolean mayBlock();

  /**
   * Judges one complete call and records the decision. Runs on the event loop: implementations
   * do bounded CPU work only and hand the recording off without waiting for it.
   */
  ToolCallVerdict inspect(ToolCall call);
}
