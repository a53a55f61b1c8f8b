package io.durablejobs.core.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fixed-delay retry queues. Per-message expiry on one queue blocks at its head (RabbitMQ only
 * expires the head), so each delay class gets its own queue with a queue-wide TTL, and a wanted delay is
 * rounded up to the next tier.
 */
public final class RetryTiers {
    public static final List<Duration> DEFAULT = List.of(
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1));

    private final List<Duration> tiers;

    public RetryTiers(List<Duration> tiers) {
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("at least one retry tier is needed");
        }
        List<Duration> sorted = new ArrayList<>(tiers);
        Collections.sort(sorted);
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).toMillis() < 1 || (i > 0 && sorted.get(i).equals(sorted.get(i - 1)))) {
                throw new IllegalArgumentException("retry tiers must be distinct and at least 1 ms: " + tiers);
            }
        }
        this.tiers = List.copyOf(sorted);
    }

    public List<Duration> all() {
        return tiers;
    }

    /** The smallest tier at least {@code wanted}, or the largest when none is. */
    public Duration tierFor(Duration wanted) {
        for (Duration t : tiers) {
            if (t.compareTo(wanted) >= 0) {
                return t;
            }
        }
        return tiers.get(tiers.size() - 1);
    }

    /**
     * The hop a delayed job takes toward its due time: the largest tier not past it, so it never arrives
     * late by more than the smallest tier; the smallest tier when even that is longer than what is left.
     */
    public Duration hopToward(Duration remaining) {
        Duration hop = tiers.get(0);
        for (Duration t : tiers) {
            if (t.compareTo(remaining) <= 0) {
                hop = t;
            }
        }
        return hop;
    }

    /** A short, queue-name-safe label: 250ms, 1s, 30s, 2m, 1h. */
    public static String label(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
