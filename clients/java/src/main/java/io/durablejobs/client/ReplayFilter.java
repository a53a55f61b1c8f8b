package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** The filter of a bulk replay ({@code POST /v1/dlq/replay}); null fields match everything. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayFilter(String type, String reason, Instant before, Boolean dryRun) {
    public static final ReplayFilter ALL = new ReplayFilter(null, null, null, null);

    public ReplayFilter asDryRun() {
        return new ReplayFilter(type, reason, before, true);
    }
}
