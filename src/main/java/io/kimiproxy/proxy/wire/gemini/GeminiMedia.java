package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI {@code image_url} parts as Gemini parts: a base64 data URL travels inline
 * ({@code inlineData}), an http(s) URL by reference ({@code fileData}) for Gemini to fetch.
 */
final class GeminiMedia {
  private static final Map<String, String> TYPES = Map.of(
      "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp",
      "heic", "image/heic", "heif", "image/heif", "pdf", "application/pdf");

  private GeminiMedia() {}

  static JsonObject image(String url, int message) {
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring(5, comma);
      String mimeType = meta.split(";", 2)[0];
      if (!meta.endsWith(";base64") || mimeType.isEmpty()) {
        throw invalid(message, "an image data URL must be 'data:<mime type>;base64,<data>'");
      }
      return new JsonObject().put("inlineData", new JsonObject().put("mimeType", mimeType).put("data", url.substring(comma + 1)));
    }
    if (url.startsWith("https://") || url.startsWith("http://")) {
      JsonObject file = new JsonObject();
      String mimeType = guessType(url);
      if (mimeType != null) file.put("mimeType", mimeType);
      return new JsonObject().put("fileData", file.put("fileUri", url));
    }
    throw invalid(message, "an image_url must be a data: URL or an http(s) URL");
  }

  /** The type from the file extension, query and fragment ignored; null when the name tells nothing. */
  private static String guessType(String url) {
    String path = url.split("[?#]", 2)[0].toLowerCase(Locale.ROOT);
    int dot = path.lastIndexOf('.');
    return dot < path.lastIndexOf('/') ? null : TYPES.get(path.substring(dot + 1));
  }

  private static ProxyError invalid(int message, String problem) {
    return ProxyError.invalidRequest("messages[" + message + "]: " + problem + ".", "messages");
  }
}
