package io.durablejobs.core.api;

import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.port.JobIndex;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** The position after which the next page of {@code GET /v1/jobs} starts: creation millis and job id, base64url. */
public final class JobCursor {
    private JobCursor() {
    }

    public static String encode(JobIndex.Entry e) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((e.createdAt().toEpochMilli() + ":" + e.jobId())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the text is not a cursor this API issued */
    public static JobIndex.Entry decode(String text) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            String id = s.substring(colon + 1);
            if (colon < 1 || !JobIds.isValid(id)) {
                throw new IllegalArgumentException("bad cursor");
            }
            return new JobIndex.Entry(id, Instant.ofEpochMilli(Long.parseLong(s.substring(0, colon))));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is not a cursor of this listing (use the nextCursor of a previous page)");
        }
    }
}
