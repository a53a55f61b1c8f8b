package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** What a bulk replay did (or, on a dry run, would do); {@code failed} lists job ids that could not be replayed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BulkReplayResult(int count, int matched, int replayed, boolean dryRun, boolean truncated, List<String> failed) {
    public BulkReplayResult {
        failed = failed == null ? List.of() : List.copyOf(failed);
    }
}
