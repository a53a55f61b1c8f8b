package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * An RFC 9457 problem as the API sends it: switch on {@code type} ({@code /problems/<slug>}, listed in the
 * API description), not on {@code title}. API Gateway's own answers ({@code {"message": ...}}) arrive as
 * type {@code about:blank} with the message as title.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One invalid field of a {@code /problems/validation}, e.g. {@code payload.url}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FieldError(String field, String message) {
    }
}
