package io.durablejobs.core.type;

/** A validation problem with the field it concerns, e.g. {@code payload.url}. */
public record FieldError(String field, String message) {
}
