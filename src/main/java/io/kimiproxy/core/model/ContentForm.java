package io.kimiproxy.core.model;

/** How a message's content was written, so that a message re-encoded keeps its shape. */
public enum ContentForm {
  /** {@code "content": "text"} */
  STRING,
  /** {@code "content": [parts]} */
  PARTS,
  /** no content, or {@code null} (an assistant turn that only calls tools) */
  NONE
}
