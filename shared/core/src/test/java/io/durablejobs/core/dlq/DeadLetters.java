package io.durablejobs.core.dlq;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobIds;
import java.time.Instant;
import java.util.List;

/** Dead letters for tests. */
public final class DeadLetters {
    private DeadLetters() {
    }

    public static DeadLetter of(String tenant, String type, String reason, Instant at) {
        String id = JobIds.newId(at.toEpochMilli());
        return new DeadLetter(id, tenant, type, reason, "HTTP 400", 3,
                List.of(new FailureEntry(1, at.minusSeconds(2), "retryable", "HTTP 503"), new FailureEntry(3, at, reason, "HTTP 400")),
                JsonNodeFactory.instance.objectNode().put("url", "https://example.com/hook"), 4, null, "jobs." + type, "worker",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "0af7651916cd43dd8448eb211c80319c", at.minusSeconds(10), at, at,
                DeadLetterDecoder.deathKey(id, 0, 3, reason), 0, DeadLetter.State.DEAD, null, null);
    }
}
