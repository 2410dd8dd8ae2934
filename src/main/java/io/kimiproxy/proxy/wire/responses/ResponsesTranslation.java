package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.vertx.core.json.JsonArray;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a Responses request may not carry to a provider that does not serve Responses, where it is
 * translated to that provider's format: hosted tools (web_search, file_search, namespaces, custom
 * tools...), a choice forcing one, and items only such a provider understands. The request is
 * refused with a 400 that names them, rather than sent without them (the model would act without
 * tools it was promised) or sent with them (the provider would refuse it, less clearly).
 */
public final class ResponsesTranslation {
  private final BoundedCache<ContentKey, Set<String>> foreignTools;

  public ResponsesTranslation(long cacheBytes) {
    this.foreignTools = new BoundedCache<>(cacheBytes, types -> 64L + 32L * types.size());
  }

  /** Throws the 400 when the request holds something {@code provider}'s format cannot say. */
  public void check(ChatRequest request, String provider) {
    JsonIndex raw = request.raw();
    Set<String> tools = new LinkedHashSet<>(toolTypes(request));
    Span choiceSpan = raw.field("tool_choice");
    String choice = choiceSpan == null ? null : ResponsesTools.foreignChoice(JsonValues.decode(raw.bytes(), choiceSpan));
    if (choice != null) tools.add(choice);
    Set<String> items = new LinkedHashSet<>();
    for (Message message : request.messages()) {
      for (Part part : message.content()) {
        String type = ResponsesItems.foreignType(part);
        if (type != null) items.add(type);
      }
    }
    if (tools.isEmpty() && items.isEmpty()) return;
    StringBuilder what = new StringBuilder();
    if (!tools.isEmpty()) what.append("tools of type ").append(String.join(", ", tools));
    if (!items.isEmpty()) {
      if (what.length() > 0) what.append("; ");
      what.append("input items of type ").append(String.join(", ", items));
    }
    throw ProxyError.invalidRequest("Provider '" + provider + "' does not serve the Responses API, and " + what
        + " have no equivalent in its format: only function tools and message, function_call, function_call_output "
        + "and reasoning items are translated. Route the model to a provider that serves Responses (OpenAI, or "
        + "responses = true in its config), or leave those out (Codex: web_search = \"disabled\" and "
        + "[agents] enabled = false in its config.toml).", tools.isEmpty() ? "input" : "tools");
  }

  private Set<String> toolTypes(ChatRequest request) {
    Span span = request.raw().field("tools");
    if (span == null || request.raw().bytes()[span.start()] != '[') return Set.of();
    return foreignTools.get(request.tools().key(),
        k -> ResponsesTools.foreignTypes((JsonArray) JsonValues.decode(request.raw().bytes(), span)));
  }
}
