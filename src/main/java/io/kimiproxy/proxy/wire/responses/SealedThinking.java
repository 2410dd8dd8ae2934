package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.model.Thinking;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signed thinking (an Anthropic provider's thinking blocks with their signatures) carried through a
 * Responses client in a reasoning item's {@code encrypted_content}: Responses clients keep that
 * field and send it back with the conversation, which is what the provider needs to go on thinking
 * across tool calls. The blob is the blocks' JSON in base64url behind a prefix of the proxy's own,
 * so it is never mistaken for a provider's encrypted reasoning (and never sent to one).
 */
public final class SealedThinking {
  private static final String PREFIX = "kimi-proxy.thinking.v1:";

  private SealedThinking() {}

  /** The blob for {@code blocks} ({@code {"type":"thinking","thinking","signature"}} or redacted_thinking). */
  public static String seal(JsonArray blocks) {
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(blocks.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static boolean isOurs(String encrypted) {
    return encrypted.startsWith(PREFIX);
  }

  /** The signed thinking in a blob of ours; nothing when it does not decode (a client that changed it). */
  static List<Thinking> open(String encrypted) {
    List<Thinking> out = new ArrayList<>();
    JsonArray blocks;
    try {
      blocks = new JsonArray(new String(Base64.getUrlDecoder().decode(encrypted.substring(PREFIX.length())),
          StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return out;
    }
    for (Object item : blocks) {
      if (!(item instanceof JsonObject block)) continue;
      if ("redacted_thinking".equals(block.getValue("type")) && block.getValue("data") instanceof String data) {
        out.add(new Thinking(null, null, data));
      } else if (block.getValue("thinking") instanceof String text && block.getValue("signature") instanceof String sig) {
        out.add(new Thinking(text, sig, null));
      }
    }
    return out;
  }
}
