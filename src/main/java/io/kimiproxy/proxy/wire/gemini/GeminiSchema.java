package io.kimiproxy.proxy.wire.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a JSON Schema (tool parameters, response_format schemas) into the OpenAPI 3.0 subset
 * Gemini accepts. Gemini answers 400 "Unknown name ..." for any keyword outside that subset, and
 * clients send full JSON Schema (zod and pydantic output: {@code $schema}, {@code $ref}/{@code $defs},
 * {@code additionalProperties}, {@code const}, type arrays). So this keeps only the known keywords
 * and rewrites the common constructs into equivalents Gemini understands, loosening a constraint
 * where no equivalent exists rather than failing the request.
 */
final class GeminiSchema {
  /** Keywords copied as they are; everything not here and not rewritten below is dropped. */
  private static final Set<String> KEPT = Set.of("title", "description", "nullable", "minItems", "maxItems",
      "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "minimum", "maximum", "default",
      "example", "propertyOrdering");
  /** The formats Gemini's developer API accepts; any other value fails the whole request. */
  private static final Set<String> FORMATS = Set.of("enum", "date-time", "int32", "int64", "float", "double");
  /** $ref chains deeper than this are cut: recursive schemas (a tree node) would never end. */
  private static final int MAX_REF_DEPTH = 6;

  private GeminiSchema() {}

  /** A cleaned copy; the client's schema is not changed. */
  static JsonObject clean(JsonObject schema) {
    JsonObject defs = new JsonObject();
    for (String key : List.of("definitions", "$defs")) {
      if (schema.getValue(key) instanceof JsonObject d) d.forEach(e -> defs.put(key + "/" + e.getKey(), e.getValue()));
    }
    return new Cleaner(defs).clean(schema, 0);
  }

  private record Cleaner(JsonObject defs) {

    JsonObject clean(JsonObject schema, int refDepth) {
      if (schema.getValue("$ref") instanceof String ref) return resolve(ref, schema, refDepth);
      if (schema.getValue("allOf") instanceof JsonArray all) return clean(merged(schema, all), refDepth);
      JsonObject out = new JsonObject();
      for (Map.Entry<String, Object> e : schema) {
        if (KEPT.contains(e.getKey())) out.put(e.getKey(), e.getValue());
      }
      type(schema, out);
      if (schema.getValue("format") instanceof String f && FORMATS.contains(f)) out.put("format", f);
      enumeration(schema, out);
      bounds(schema, out);
      if (schema.getValue("properties") instanceof JsonObject properties) {
        JsonObject cleaned = new JsonObject();
        properties.forEach(p -> cleaned.put(p.getKey(), p.getValue() instanceof JsonObject s ? clean(s, refDepth) : new JsonObject()));
        out.put("properties", cleaned);
        if (schema.getValue("required") instanceof JsonArray required) {
          // Gemini rejects a required name that has no property; clients' schemas do have such slips.
          JsonArray kept = new JsonArray();
          required.forEach(r -> {
            if (r instanceof String name && cleaned.containsKey(name)) kept.add(name);
          });
          if (!kept.isEmpty()) out.put("required", kept);
        }
      }
      Object items = schema.getValue("items");
      if (items instanceof JsonArray tuple && !tuple.isEmpty()) items = tuple.getValue(0); // tuples: the first shape
      if (items instanceof JsonObject s) out.put("items", clean(s, refDepth));
      alternatives(schema, out, refDepth);
      return out;
    }

    /** Inlines a local reference; what cannot be resolved reads as "any object", described. */
    private JsonObject resolve(String ref, JsonObject schema, int refDepth) {
      String key = ref.startsWith("#/") ? ref.substring(2) : ref;
      if (refDepth < MAX_REF_DEPTH && defs.getValue(key) instanceof JsonObject target) {
        JsonObject inlined = clean(target, refDepth + 1);
        if (schema.getValue("description") instanceof String d) inlined.put("description", d);
        return inlined;
      }
      return new JsonObject().put("type", "object")
          .put("description", schema.getString("description", "A " + key.substring(key.lastIndexOf('/') + 1) + " object."));
    }

    /** allOf: the parts' properties and required lists joined; other keywords, the first one wins. */
    private static JsonObject merged(JsonObject schema, JsonArray all) {
      JsonObject out = schema.copy();
      out.remove("allOf");
      JsonObject properties = out.getValue("properties") instanceof JsonObject p ? p : new JsonObject();
      Set<Object> required = new LinkedHashSet<>(out.getValue("required") instanceof JsonArray r ? r.getList() : List.of());
      for (Object part : all) {
        if (!(part instanceof JsonObject p)) continue;
        p.forEach(e -> {
          switch (e.getKey()) {
            case "properties" -> {
              if (e.getValue() instanceof JsonObject more) more.forEach(m -> properties.put(m.getKey(), m.getValue()));
            }
            case "required" -> {
              if (e.getValue() instanceof JsonArray more) required.addAll(more.getList());
            }
            default -> {
              if (!out.containsKey(e.getKey())) out.put(e.getKey(), e.getValue());
            }
          }
        });
      }
      if (!properties.isEmpty()) out.put("properties", properties);
      if (!required.isEmpty()) out.put("required", new JsonArray(new ArrayList<>(required)));
      return out;
    }

    /** anyOf/oneOf: a null alternative becomes "nullable"; a single remaining one is inlined. */
    private void alternatives(JsonObject schema, JsonObject out, int refDepth) {
      Object any = schema.getValue("anyOf") != null ? schema.getValue("anyOf") : schema.getValue("oneOf");
      if (!(any instanceof JsonArray options)) return;
      JsonArray kept = new JsonArray();
      for (Object option : options) {
        if (!(option instanceof JsonObject o)) continue;
        if ("null".equals(o.getValue("type"))) {
          out.put("nullable", true);
        } else {
          kept.add(clean(o, refDepth));
        }
      }
      if (kept.size() == 1) {
        // The schema's own keywords (its description above all) win over the alternative's.
        kept.getJsonObject(0).forEach(e -> {
          if (!out.containsKey(e.getKey())) out.put(e.getKey(), e.getValue());
        });
      } else if (!kept.isEmpty()) {
        out.put("anyOf", kept);
      }
    }
  }

  /** A type list (["string","null"]) becomes one type plus nullable; Gemini takes a single type. */
  private static void type(JsonObject schema, JsonObject out) {
    Object type = schema.getValue("type");
    if (type instanceof String t) {
      out.put("type", t);
    } else if (type instanceof JsonArray types) {
      for (Object t : types) {
        if ("null".equals(t)) out.put("nullable", true);
        else if (t instanceof String s && !out.containsKey("type")) out.put("type", s);
      }
    }
  }

  /** const is a one-value enum. Gemini's developer API takes string enums only; others are dropped. */
  private static void enumeration(JsonObject schema, JsonObject out) {
    JsonArray values = schema.getValue("enum") instanceof JsonArray e ? e
        : schema.containsKey("const") ? new JsonArray().add(schema.getValue("const")) : null;
    if (values == null || values.isEmpty()) return;
    for (Object v : values) {
      if (!(v instanceof String)) return;
    }
    out.put("enum", values.copy());
    if (!out.containsKey("type")) out.put("type", "string");
  }

  /** Exclusive bounds (draft 6 numbers) become the inclusive ones: a bound one step looser beats none. */
  private static void bounds(JsonObject schema, JsonObject out) {
    if (!out.containsKey("minimum") && schema.getValue("exclusiveMinimum") instanceof Number n) out.put("minimum", n);
    if (!out.containsKey("maximum") && schema.getValue("exclusiveMaximum") instanceof Number n) out.put("maximum", n);
  }
}
