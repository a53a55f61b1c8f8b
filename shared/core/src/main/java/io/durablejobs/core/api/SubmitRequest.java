package io.durablejobs.core.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A validated {@code POST /v1/jobs} body. */
public record SubmitRequest(String type, JsonNode payload, int priority) {
    public static final int DEFAULT_PRIORITY = 4;
}
