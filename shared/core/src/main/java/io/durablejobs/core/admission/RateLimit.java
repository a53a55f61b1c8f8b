package io.durablejobs.core.admission;

/** A rate with a burst: {@code perSecond} on average, up to {@code burst} at once. perSecond 0 means unlimited. */
public record RateLimit(double perSecond, int burst) {
    public static final RateLimit UNLIMITED = new RateLimit(0, 0);

    public RateLimit {
        if (perSecond < 0 || burst < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("need perSecond >= 0 and, when limited, burst >= 1");
        }
    }

    public boolean unlimited() {
        return perSecond == 0;
    }
}
