package io.durablejobs.core.dlq;

import java.time.Instant;

/** Which of a tenant's dead letters a bulk replay takes: any of type, reason, and dead-lettered before. */
public record BulkReplayFilter(String type, String reason, Instant before) {
}
