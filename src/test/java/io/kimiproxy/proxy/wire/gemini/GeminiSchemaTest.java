package io.kimiproxy.proxy.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeminiSchemaTest {
  /** Every keyword of Gemini's Schema object (the OpenAPI 3.0 subset); anything else is a 400. */
  static final Set<String> GEMINI_KEYWORDS = Set.of("type", "format", "title", "description", "nullable", "enum",
      "items", "properties", "required", "minItems", "maxItems", "minProperties", "maxProperties", "minLength",
      "maxLength", "pattern", "minimum", "maximum", "anyOf", "default", "example", "propertyOrdering");

  /** Walks a cleaned schema and fails on any keyword Gemini rejects. */
  static void assertGeminiSafe(JsonObject schema, String path) {
    for (String key : schema.fieldNames()) {
      assertTrue(GEMINI_KEYWORDS.contains(key), "keyword '" + key + "' at " + path + " in " + schema.encode());
    }
    if (schema.getValue("properties") instanceof JsonObject properties) {
      properties.forEach(p -> assertGeminiSafe((JsonObject) p.getValue(), path + ".properties." + p.getKey()));
    }
    if (schema.getValue("items") instanceof JsonObject items) assertGeminiSafe(items, path + ".items");
    if (schema.getValue("anyOf") instanceof JsonArray any) {
      for (int i = 0; i < any.size(); i++) assertGeminiSafe(any.getJsonObject(i), path + ".anyOf[" + i + "]");
    }
  }

  @Test
  void should_strip_the_keywords_zod_adds_to_an_mcp_tool() {
    // What an MCP server built with zod-to-json-schema publishes, as Cline forwards it.
    JsonObject zod = new JsonObject("""
        {"type":"object","properties":{
          "path":{"type":"string","description":"File to edit","minLength":1},
          "edits":{"type":"array","items":{"type":"object","properties":{
              "oldText":{"type":"string"},"newText":{"type":"string"}},
            "required":["oldText","newText"],"additionalProperties":false}},
          "dryRun":{"type":"boolean","default":false}},
         "required":["path","edits"],"additionalProperties":false,
         "$schema":"http://json-schema.org/draft-07/schema#"}""");
    JsonObject cleaned = GeminiSchema.clean(zod);
    assertGeminiSafe(cleaned, "$");
    assertEquals(new JsonArray().add("path").add("edits"), cleaned.getJsonArray("required"));
    assertEquals(1, cleaned.getJsonObject("properties").getJsonObject("path").getInteger("minLength"));
    assertEquals(false, cleaned.getJsonObject("properties").getJsonObject("dryRun").getBoolean("default"));
    assertTrue(zod.containsKey("$schema") && zod.containsKey("additionalProperties"), "the client's schema is not changed");
  }

  @Test
  void should_inline_local_refs_from_defs_and_definitions() {
    JsonObject pydantic = new JsonObject("""
        {"$defs":{"Range":{"type":"object","properties":{"start":{"type":"integer"},"end":{"type":"integer"}},
                            "required":["start","end"]}},
         "definitions":{"Mode":{"type":"string","enum":["read","write"]}},
         "type":"object","properties":{
           "range":{"$ref":"#/$defs/Range","description":"Lines to read"},
           "mode":{"$ref":"#/definitions/Mode"}},
         "required":["range"]}""");
    JsonObject cleaned = GeminiSchema.clean(pydantic);
    assertGeminiSafe(cleaned, "$");
    JsonObject range = cleaned.getJsonObject("properties").getJsonObject("range");
    assertEquals("object", range.getString("type"));
    assertEquals("Lines to read", range.getString("description"));
    assertEquals(Set.of("start", "end"), range.getJsonObject("properties").fieldNames());
    assertEquals(new JsonArray().add("read").add("write"), cleaned.getJsonObject("properties").getJsonObject("mode").getJsonArray("enum"));
  }

  @Test
  void should_cut_a_recursive_ref_instead_of_looping() {
    JsonObject tree = new JsonObject("""
        {"$defs":{"Node":{"type":"object","properties":{"name":{"type":"string"},
           "children":{"type":"array","items":{"$ref":"#/$defs/Node"}}}}},
         "$ref":"#/$defs/Node"}""");
    JsonObject cleaned = GeminiSchema.clean(tree);
    assertGeminiSafe(cleaned, "$");
    JsonObject node = cleaned;
    int depth = 0;
    while (node.getValue("properties") instanceof JsonObject p && p.getValue("children") instanceof JsonObject children) {
      node = children.getJsonObject("items");
      depth++;
    }
    assertTrue(depth > 1 && depth < 10, "expanded " + depth + " levels");
    assertEquals("object", node.getString("type"));
  }

  @Test
  void should_turn_const_and_type_lists_and_null_alternatives_into_gemini_terms() {
    JsonObject schema = new JsonObject("""
        {"type":"object","properties":{
          "kind":{"const":"file"},
          "note":{"type":["string","null"]},
          "limit":{"anyOf":[{"type":"integer","exclusiveMinimum":0},{"type":"null"}],"description":"Max lines"},
          "target":{"oneOf":[{"type":"string"},{"type":"integer"}]},
          "level":{"type":"integer","enum":[1,2,3]},
          "url":{"type":"string","format":"uri"},
          "when":{"type":"string","format":"date-time"},
          "env":{"type":"object","patternProperties":{"^[A-Z]+$":{"type":"string"}}}},
         "required":["kind","missing"]}""");
    JsonObject p = GeminiSchema.clean(schema).getJsonObject("properties");
    assertGeminiSafe(GeminiSchema.clean(schema), "$");
    assertEquals(new JsonObject().put("enum", new JsonArray().add("file")).put("type", "string"), p.getJsonObject("kind"));
    assertEquals(new JsonObject().put("type", "string").put("nullable", true), p.getJsonObject("note"));
    JsonObject limit = p.getJsonObject("limit");
    assertEquals("integer", limit.getString("type"));
    assertEquals(true, limit.getBoolean("nullable"));
    assertEquals(0, limit.getInteger("minimum"));
    assertEquals("Max lines", limit.getString("description"));
    assertEquals(2, p.getJsonObject("target").getJsonArray("anyOf").size());
    assertFalse(p.getJsonObject("level").containsKey("enum"), "Gemini takes string enums only");
    assertFalse(p.getJsonObject("url").containsKey("format"));
    assertEquals("date-time", p.getJsonObject("when").getString("format"));
    assertEquals(new JsonObject().put("type", "object"), p.getJsonObject("env"));
    assertEquals(new JsonArray().add("kind"), GeminiSchema.clean(schema).getJsonArray("required"));
  }

  @Test
  void should_merge_all_of_parts() {
    JsonObject schema = new JsonObject("""
        {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                  {"properties":{"b":{"type":"number"}},"required":["b"]}],
         "description":"Both"}""");
    JsonObject cleaned = GeminiSchema.clean(schema);
    assertGeminiSafe(cleaned, "$");
    assertEquals("object", cleaned.getString("type"));
    assertEquals("Both", cleaned.getString("description"));
    assertEquals(Set.of("a", "b"), cleaned.getJsonObject("properties").fieldNames());
    assertEquals(new JsonArray().add("a").add("b"), cleaned.getJsonArray("required"));
  }
}
