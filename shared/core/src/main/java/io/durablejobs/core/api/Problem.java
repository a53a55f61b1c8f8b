package io.durablejobs.core.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details. {@code type} is a relative URI reference, {@code /problems/<slug>}, which the
 * README documents; clients switch on it rather than on {@code title}.
 */
public final class Problem {
    public static final String CONTENT_TYPE = "application/problem+json";

    private final int status;
    private final String slug;
    private final String title;
    private final String detail;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private List<FieldError> errors = List.of();

    private Problem(int status, String slug, String title, String detail) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.detail = detail;
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, slug, title, detail);
    }

    public static Problem validation(List<FieldError> errors) {
        String first = errors.get(0).field() + ": " + errors.get(0).message();
        String detail = errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more in errors)";
        Problem p = new Problem(400, "validation", "The request is not valid", detail);
        p.errors = List.copyOf(errors);
        return p;
    }

    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    /** The {@code type} slug, e.g. {@code rate-limited}. */
    public String slug() {
        return slug;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public ApiResponse toResponse() {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", CONTENT_TYPE);
        h.put("Cache-Control", "no-store");
        return new ApiResponse(status, h, bytes());
    }

    /**
     * The same JSON as {@link #toJson()}, written with the streaming generator: a refused request's whole
     * answer is this body, and building a tree to serialize it cost more than the rest of the refusal.
     */
    private byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + (detail == null ? 0 : detail.length()));
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("type", "/problems/" + slug);
            g.writeStringField("title", title);
            g.writeNumberField("status", status);
            g.writeStringField("detail", detail);
            if (!errors.isEmpty()) {
                g.writeArrayFieldStart("errors");
                for (FieldError e : errors) {
                    g.writeStartObject();
                    g.writeStringField("field", e.field());
                    g.writeStringField("message", e.message());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** The problem object alone, as a batch result carries it for one item. */
    public ObjectNode toJson() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", "/problems/" + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            var arr = body.putArray("errors");
            for (FieldError e : errors) {
                arr.addObject().put("field", e.field()).put("message", e.message());
            }
        }
        return body;
    }
}
