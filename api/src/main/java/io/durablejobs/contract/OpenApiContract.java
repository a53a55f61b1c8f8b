package io.durablejobs.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's OpenAPI description (api/openapi.json) as a check: {@link #violations} says how one exchange
 * departs from it, using Atlassian's swagger-request-validator (request and response: path, method,
 * parameters, headers, media type, body schema).
 *
 * <p>What counts: the response is always checked. The request is checked too, but its faults count only
 * when the API accepted it (a 2xx or 3xx): tests send wrong keys, bad bodies and unknown paths on purpose,
 * and the API refusing them is the contract; the API accepting what the description forbids, or serving a
 * path it does not describe, is drift.
 */
public final class OpenApiContract {
    public static final String RESOURCE = "/io/durablejobs/contract/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private final String text;
    private final JsonNode spec;
    private final OpenApiInteractionValidator validator;

    private OpenApiContract(String text) throws IOException {
        this.text = text;
        this.spec = JSON.readTree(text);
        try {
            this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(JSON.writeValueAsString(inlined(spec))).build();
        } catch (OpenApiInteractionValidator.ApiLoadException e) {
            throw new IllegalArgumentException("the OpenAPI description does not load: " + e.getParseMessages(), e);
        }
    }

    /**
     * The description with every {@code #/components/schemas/...} reference replaced by the schema itself.
     * swagger-request-validator 2.46.1 silently skipped the body check of some responses whose schemas
     * reached others through references (an array of referenced items, for one); checked on inlined
     * schemas it checks them all. The published description keeps its references.
     */
    static JsonNode inlined(JsonNode spec) {
        JsonNode copy = spec.deepCopy();
        JsonNode schemas = copy.path("components").path("schemas");
        return inline(copy, schemas, 0);
    }

    private static JsonNode inline(JsonNode node, JsonNode schemas, int depth) {
        if (depth > 32) {
            throw new IllegalArgumentException("schema references nest deeper than 32 (a cycle?)");
        }
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.asText().startsWith("#/components/schemas/") && node.size() == 1) {
                JsonNode target = schemas.get(ref.asText().substring("#/components/schemas/".length()));
                if (target == null) {
                    throw new IllegalArgumentException("unresolved " + ref.asText());
                }
                return inline(target.deepCopy(), schemas, depth + 1);
            }
            ObjectNode o = (ObjectNode) node;
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                o.set(f, inline(o.get(f), schemas, depth + 1));
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, inline(a.get(i), schemas, depth + 1));
            }
        }
        return node;
    }

    /** The description on the classpath (this module's jar). */
    public static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new OpenApiContract(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static OpenApiContract of(String text) {
        try {
            return new OpenApiContract(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        return text;
    }

    public JsonNode json() {
        return spec;
    }

    /** Every described operation as {@code METHOD /path/{template}}, e.g. {@code GET /v1/jobs/{jobId}}. */
    public Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        for (Iterator<String> paths = spec.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = spec.path("paths").path(path).fieldNames(); methods.hasNext(); ) {
                String m = methods.next();
                if (METHODS.contains(m)) {
                    ops.add(m.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        return ops;
    }

    /**
     * A path under a template whose last parameter takes the rest of the path ({@code x-path-remainder},
     * API Gateway's greedy {@code {key+}}), with that rest as one segment ({@code /} as {@code %2F}):
     * OpenAPI parameters match one segment, so the validator would not find the route otherwise.
     */
    String asOneSegment(String path) {
        for (Iterator<String> paths = spec.path("paths").fieldNames(); paths.hasNext(); ) {
            String template = paths.next();
            if (spec.path("paths").path(template).has("x-path-remainder")) {
                String prefix = template.substring(0, template.indexOf('{'));
                if (path.startsWith(prefix) && path.length() > prefix.length()) {
                    return prefix + path.substring(prefix.length()).replace("/", "%2F");
                }
            }
        }
        return path;
    }

    /** How this exchange departs from the description; empty when it keeps to it. */
    public List<String> violations(Exchange e) {
        SimpleRequest.Builder req = new SimpleRequest.Builder(e.method(), asOneSegment(e.path()));
        e.requestHeaders().forEach((name, values) -> req.withHeader(name, values));
        if (e.rawQuery() != null && !e.rawQuery().isEmpty()) {
            for (String pair : e.rawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                req.withQueryParam(k, v);
            }
        }
        if (e.requestBody().length > 0) {
            req.withBody(e.requestBody());
        }
        SimpleResponse.Builder res = SimpleResponse.Builder.status(e.status());
        e.responseHeaders().forEach((name, values) -> res.withHeader(name, values));
        if (e.responseBody().length > 0 && !e.method().equalsIgnoreCase(Request.Method.HEAD.name())) {
            res.withBody(e.responseBody());
        }
        ValidationReport report = validator.validate(req.build(), res.build());
        boolean accepted = e.status() < 400;
        List<String> out = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            boolean aboutRequest = m.getKey().startsWith("validation.request");
            if (aboutRequest && !accepted) {
                continue;
            }
            out.add(e.describe() + ": [" + m.getKey() + "] " + m.getMessage());
        }
        return out;
    }
}
