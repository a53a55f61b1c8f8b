package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code GET /v1/stats}: the tenant's ledger, {@code accepted = succeeded + deadLettered + inFlight}, overall and per type. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Stats(long accepted, long succeeded, @JsonProperty("dead_lettered") long deadLettered, @JsonProperty("in_flight") long inFlight,
                    boolean balanced, Map<String, Counts> types) {
    public Stats {
        types = types == null ? Map.of() : Map.copyOf(types);
    }

    /** The same four counters for one job type. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counts(long accepted, long succeeded, @JsonProperty("dead_lettered") long deadLettered,
                         @JsonProperty("in_flight") long inFlight) {
    }
}
