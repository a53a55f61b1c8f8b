package io.durablejobs.core.job;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Job ids are UUIDv7 (time-ordered, RFC 9562): they sort by creation time, which keeps listings and
 * Redis keys readable, and they are unguessable enough (74 random bits) for a tenant-scoped id.
 */
public final class JobIds {
    private static final Pattern FORMAT =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    public static String newId(long epochMillis) {
        long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16;
        msb |= 0x7000L | (RANDOM.nextInt() & 0x0FFF);
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
