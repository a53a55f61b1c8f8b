package io.durablejobs.core.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;

/**
 * A position in a newest-first listing: the last item's time and job id. Encoded as the sort key every
 * store can use, {@code <inverted millis, 19 digits>-<jobId>}, which sorts ascending in newest-first
 * order (S3 lists keys that way), then base64url for the query string.
 */
public record DeadLetterCursor(long epochMillis, String jobId) {
    /** Newest first; ties by job id, descending. */
    public static final Comparator<DeadLetter> NEWEST_FIRST = Comparator
            .comparing((DeadLetter d) -> sortKey(d.deadLetteredAt(), d.jobId()));

    public static DeadLetterCursor of(DeadLetter d) {
        return new DeadLetterCursor(d.deadLetteredAt().toEpochMilli(), d.jobId());
    }

    /** Whether {@code d} comes after this position in the listing. */
    public boolean isAfter(DeadLetter d) {
        return sortKey(d.deadLetteredAt(), d.jobId()).compareTo(sortKey()) > 0;
    }

    public String sortKey() {
        return invertedMillis(epochMillis) + "-" + jobId;
    }

    public static String sortKey(Instant at, String jobId) {
        return invertedMillis(at.toEpochMilli()) + "-" + jobId;
    }

    /** Newer instants give smaller strings. */
    public static String invertedMillis(long epochMillis) {
        return String.format("%019d", Long.MAX_VALUE - epochMillis);
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the text is not a cursor this API issued */
    public static DeadLetterCursor decode(String text) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int dash = s.indexOf('-');
            if (dash != 19) {
                throw new IllegalArgumentException("bad cursor");
            }
            long inverted = Long.parseLong(s.substring(0, dash));
            return new DeadLetterCursor(Long.MAX_VALUE - inverted, s.substring(dash + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor is not valid (use the nextCursor of a previous page)");
        }
    }
}
