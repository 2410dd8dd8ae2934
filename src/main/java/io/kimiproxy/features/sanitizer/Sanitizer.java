package io.kimiproxy.features.sanitizer;

import io.kimiproxy.config.SanitizerConfig;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.kimiproxy.features.contextmap.PartKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cleans the messages of a request before they leave the machine: secrets are redacted in every
 * message, then large tool outputs and dumps are masked. Pure CPU work on the request's messages
 * (the client's messages are never changed); the caller stores the masked originals.
 *
 * <p>Never masked: the first user message (the task), the latest user message and the last
 * {@code keep_last_tool_results} tool results, which the model is working on. Only content is
 * replaced, so every tool call keeps its result and ids.
 *
 * <p>Everything is decided once per distinct message (by its content key) and per distinct output
 * to mask, and found again on the next turn: a resent history costs a lookup per message.
 */
public final class Sanitizer {
  private final SanitizerConfig config;
  private final SecretRedactor redactor;
  private final TokenCounter tokens;
  private final AtomicBoolean enabled;
  private final BoundedCache<ContentKey, Facts> facts;
  private final BoundedCache<ContentKey, Mask> masks;

  /** @param cacheBytes the memory the per-message decisions may take */
  public Sanitizer(SanitizerConfig config, SecretRedactor redactor, TokenCounter tokens, long cacheBytes) {
    this.config = config;
    this.redactor = redactor;
    this.tokens = tokens;
    this.enabled = new AtomicBoolean(config.enabled());
    this.facts = new BoundedCache<>(cacheBytes, Facts::weight);
    this.masks = new BoundedCache<>(Math.max(1 << 20, cacheBytes / 4), Mask::weight);
  }

  /** The messages to send, the originals that were masked, and what was done. */
  public record Result(MessageList messages, List<MaskedOutput> masked, SanitizerCounts counts) {}

  /** A message after redaction (the same instance when it held no secret), how many secrets, and its kind. */
  private record Facts(Message message, int secrets, String kind) {
    long weight() {
      return 64 + (secrets > 0 ? message.weight() : 0);
    }
  }

  /** The marker standing for an output, or {@link #NOT_MASKED} when it is too small to mask. */
  private record Mask(String hash, String marker, int tokens, int saved) {
    long weight() {
      return 96 + (marker == null ? 0 : marker.length() * 2L);
    }
  }

  private static final Mask NOT_MASKED = new Mask(null, null, 0, 0);

  public boolean enabled() {
    return enabled.get();
  }

  /** Switches the sanitizer (masking and redaction); null flips it. Returns the new state. */
  public boolean toggle(Boolean target) {
    if (target != null) {
      enabled.set(target);
      return target;
    }
    boolean now;
    do {
      now = !enabled.get();
    } while (!enabled.compareAndSet(!now, now));
    return now;
  }

  public Result apply(String session, long nowMs, MessageList messages, String model) {
    if (!enabled.get()) return new Result(messages, List.of(), SanitizerCounts.ZERO);
    MessageList out = messages;
    int secrets = 0;
    String[] kinds = new String[messages.size()];
    for (int i = 0; i < messages.size(); i++) {
      Facts f = facts(messages.key(i), messages.get(i));
      kinds[i] = f.kind();
      if (f.secrets() > 0) {
        out = out.with(i, f.message());
        secrets += f.secrets();
      }
    }
    List<MaskedOutput> masked = new ArrayList<>();
    long saved = 0;
    boolean[] keep = protectedMessages(out, kinds);
    ContentKey salt = ContentKey.of(model).then(config.previewLength()).then(config.thresholdTokens());
    for (int i = 0; i < out.size(); i++) {
      if (keep[i] || !(kinds[i].equals(PartKinds.TOOL_OUTPUT) || kinds[i].equals(PartKinds.ATTACHMENT))) continue;
      Message message = out.get(i);
      List<Part> parts = null;
      for (int p = 0; p < message.content().size(); p++) {
        if (!(message.content().get(p) instanceof Part.Text text)) continue;
        Mask mask = mask(text.text(), salt, model);
        if (mask == NOT_MASKED) continue;
        if (parts == null) parts = new ArrayList<>(message.content());
        parts.set(p, text.withText(mask.marker()));
        masked.add(new MaskedOutput(mask.hash(), session, nowMs, mask.tokens(), text.text()));
        saved += mask.saved();
      }
      if (parts != null) out = out.with(i, message.withContent(parts));
    }
    return new Result(out, masked, new SanitizerCounts(masked.size(), saved, secrets));
  }

  /** The first and latest user messages and the last N tool results. */
  private boolean[] protectedMessages(List<Message> messages, String[] kinds) {
    boolean[] keep = new boolean[messages.size()];
    int toolResults = 0;
    boolean latestUserSeen = false;
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (kinds[i].equals(PartKinds.TOOL_OUTPUT) && toolResults < config.keepLastToolResults()) {
        keep[i] = true;
        toolResults++;
      }
      if (messages.get(i).role() == Role.USER && !latestUserSeen) {
        keep[i] = true;
        latestUserSeen = true;
      }
    }
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).role() == Role.USER) {
        keep[i] = true;
        break;
      }
    }
    return keep;
  }

  private Mask mask(String text, ContentKey salt, String model) {
    // Cheap length check first: fewer characters than the threshold cannot hold more tokens.
    if (text.length() <= config.thresholdTokens()) return NOT_MASKED;
    return masks.get(ContentKey.of(text).then(salt), k -> {
      int count = tokens.countTextCached(model, text);
      if (count <= config.thresholdTokens()) return NOT_MASKED;
      String hash = OutputMasker.hash(text);
      String marker = OutputMasker.marker(text, hash, count, config.previewLength());
      return new Mask(hash, marker, count, count - tokens.countText(model, marker));
    });
  }

  private Facts facts(ContentKey key, Message message) {
    return facts.get(key.then(config.redactSecrets() ? 1 : 0), k -> {
      if (!config.redactSecrets()) return new Facts(message, 0, PartKinds.of(message));
      int[] found = {0};
      Message redacted = redacted(message, found);
      return new Facts(found[0] == 0 ? message : redacted, found[0], PartKinds.of(redacted));
    });
  }

  /** The message with secrets replaced in its text, reasoning and tool-call arguments. */
  private Message redacted(Message message, int[] found) {
    List<Part> parts = new ArrayList<>(message.content().size());
    for (Part part : message.content()) {
      parts.add(part instanceof Part.Text t ? t.withText(redactor.redact(t.text(), found)) : part);
    }
    List<Thinking> reasoning = new ArrayList<>(message.reasoning().size());
    for (Thinking t : message.reasoning()) {
      // Signed thinking must go back byte for byte or the provider refuses it; only plain text is redacted.
      reasoning.add(t.sealed() || t.text() == null ? t : Thinking.plain(redactor.redact(t.text(), found)));
    }
    List<ToolCall> calls = new ArrayList<>(message.toolCalls().size());
    for (ToolCall call : message.toolCalls()) calls.add(call.withArguments(redactor.redact(call.arguments(), found)));
    if (found[0] == 0) return message;
    return message.withContent(parts).withReasoning(reasoning).withToolCalls(calls);
  }
}
