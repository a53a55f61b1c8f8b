package io.durablejobs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small queries over a synthesized template's JSON. */
final class TemplateView {
    private final JsonNode resources;

    TemplateView(JsonNode template) {
        this.resources = template.path("Resources");
    }

    List<JsonNode> ofType(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : resources.properties()) {
            if (type.equals(e.getValue().path("Type").asText())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    JsonNode byRef(JsonNode ref) {
        return resources.path(ref.path("Ref").asText());
    }

    String logicalIdOf(JsonNode ref) {
        return ref.path("Ref").asText();
    }

    /**
     * What a {"Ref": id} or {"Fn::GetAtt": [id, "Arn"]} invokes: a function's FunctionName, or for an alias
     * {@code <function>:<alias>}.
     */
    String functionNameOf(JsonNode ref) {
        String id = ref.has("Fn::GetAtt") ? ref.path("Fn::GetAtt").get(0).asText() : ref.path("Ref").asText();
        JsonNode r = resources.path(id);
        if ("AWS::Lambda::Alias".equals(r.path("Type").asText())) {
            return functionNameOf(r.path("Properties").path("FunctionName")) + ":" + r.path("Properties").path("Name").asText();
        }
        return r.path("Properties").path("FunctionName").asText();
    }

    JsonNode functionNamed(String name) {
        return ofType("AWS::Lambda::Function").stream()
                .filter(f -> name.equals(f.path("Properties").path("FunctionName").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no function " + name));
    }

    static List<JsonNode> list(JsonNode maybeList) {
        List<JsonNode> out = new ArrayList<>();
        if (maybeList.isArray()) {
            maybeList.forEach(out::add);
        } else if (!maybeList.isMissingNode()) {
            out.add(maybeList);
        }
        return out;
    }
}
