package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A page of dead letters, newest first; {@code nextCursor} is null on the last page. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeadLetterPage(List<DeadLetterSummary> items, String nextCursor) {
    public DeadLetterPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
