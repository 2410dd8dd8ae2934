package io.kimiproxy.core.model;

/** Whether and which tool the model must call: auto, none, required (any tool), or the named one. */
public record ToolChoice(Mode mode, String name) {
  public enum Mode { AUTO, NONE, REQUIRED, NAMED }

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  public static ToolChoice named(String name) {
    return new ToolChoice(Mode.NAMED, name);
  }
}
