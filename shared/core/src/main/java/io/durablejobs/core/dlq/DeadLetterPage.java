package io.durablejobs.core.dlq;

import java.util.List;

/** One page of a listing, and where the next one starts (null at the end). */
public record DeadLetterPage(List<DeadLetter> items, DeadLetterCursor next) {
    public DeadLetterPage {
        items = List.copyOf(items);
    }
}
