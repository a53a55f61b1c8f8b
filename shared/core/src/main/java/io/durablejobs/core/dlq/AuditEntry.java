package io.durablejobs.core.dlq;

import java.time.Instant;

/** One admin action on dead letters: who did what to which job(s), when, and how it ended. */
public record AuditEntry(Instant at, String tenant, String actor, String action, String jobId, String detail, String outcome) {
}
