package io.kimiproxy.core.model;

import io.kimiproxy.core.json.JsonIndex;

/**
 * A request in the proxy's neutral model, whatever API it came through: what the pipeline's steps
 * read and change, and what each provider's mapper turns into its own wire format.
 *
 * @param api          the API the client spoke (its answer goes back in that API's shape)
 * @param model        the model name the client asked for (an alias, provider/model, or a name an
 *                     inbound mapping turns into an alias)
 * @param stream       whether the client wants the answer as it is written
 * @param includeUsage whether a streaming Chat Completions client asked for the final usage chunk
 * @param sessionHint  a conversation id the client put in the body (e.g. Claude Code's metadata), or null
 * @param raw          the client's body, validated and indexed, in the format of {@code api}: a provider
 *                     of that same format gets it spliced, not re-encoded; null for requests the proxy built
 */
public record ChatRequest(InboundApi api, String model, boolean stream, boolean includeUsage, MessageList messages,
                          Tools tools, RequestOptions options, String sessionHint, JsonIndex raw) {

  /** The same request for another model (a fallback, a smart choice). */
  public ChatRequest withModel(String other) {
    return new ChatRequest(api, other, stream, includeUsage, messages, tools, options, sessionHint, raw);
  }

  /** The same request with another conversation (after redaction, masking, compaction). */
  public ChatRequest withMessages(MessageList other) {
    return new ChatRequest(api, model, stream, includeUsage, other, tools, options, sessionHint, raw);
  }

  /** The same request with other options (e.g. a summary call without tools). */
  public ChatRequest withOptions(RequestOptions other) {
    return new ChatRequest(api, model, stream, includeUsage, messages, tools, other, sessionHint, raw);
  }

  /** A request the proxy makes itself (summaries, agent runs): Chat Completions shaped, no client bytes. */
  public static ChatRequest built(String model, MessageList messages, Tools tools, RequestOptions options,
                                  boolean stream) {
    return new ChatRequest(InboundApi.CHAT, model, stream, false, messages, tools, options, null, null);
  }
}
