package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a batch submit did, one result per request in the order given ({@code index} is the request's
 * position in the caller's list, whatever chunks and retries the client used). {@code accepted} jobs are
 * new; {@code replayed} ones were accepted earlier under the same idempotency key (e.g. by a retry of this
 * very call); {@code rejected} ones carry the API's problem, with field paths such as {@code jobs[2].payload.url}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchResult(int accepted, int replayed, int rejected, List<Item> results) {
    public BatchResult {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** True when every job was accepted or replayed. */
    public boolean allAccepted() {
        return rejected == 0;
    }

    public List<Item> rejectedItems() {
        return results.stream().filter(i -> i.status() == ItemStatus.REJECTED).toList();
    }

    /**
     * One request's outcome: the job made (or replayed) with its status and, for a delayed job, when it is
     * due; or the problem. {@code idempotencyKey} is the key it was sent with (given, or made by the client).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, ItemStatus status, String jobId, String type, JobStatus jobStatus, Instant runAt, Problem problem,
                       String idempotencyKey) {
    }

    public enum ItemStatus {
        ACCEPTED, REPLAYED, REJECTED, UNKNOWN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static ItemStatus of(String wire) {
            return Schedule.Wire.of(ItemStatus.class, wire, UNKNOWN);
        }
    }
}
