package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {
    @Test
    void theResponseBody_isTheProblemObjectByteForByte() throws Exception {
        Problem[] problems = {
            Problem.of(429, "rate-limited", "Too many requests", "this API key is over its rate of 200.0/s (burst 200); retry after 1 s")
                    .header("Retry-After", "1"),
            Problem.of(400, "malformed-json", "The body is not valid JSON", "unexpected \"}\" at line 1, caf\u00e9 \\ \u0001"),
            Problem.of(404, "not-found", "Not found", null),
            Problem.validation(List.of(new FieldError("jobs[3].type", "must be a registered type"), new FieldError("payload", "required")))};
        for (Problem p : problems) {
            ApiResponse r = p.toResponse();
            assertThat(r.body()).isEqualTo(Json.MAPPER.writeValueAsBytes(p.toJson()));
            assertThat(r.headers()).containsEntry("Content-Type", Problem.CONTENT_TYPE).containsEntry("Cache-Control", "no-store");
        }
        assertThat(problems[0].toResponse().headers()).containsEntry("Retry-After", "1");
    }
}
