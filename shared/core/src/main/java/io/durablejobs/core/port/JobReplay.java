package io.durablejobs.core.port;

import java.time.Instant;

/**
 * A replay of a dead-lettered job, as the job store records it: the job (to recreate its record if it
 * expired), the generation it must at least reach, the dead letter it replays ({@code <jobId>@<deadLetteredAt>})
 * and who asked, when.
 */
public record JobReplay(String jobId, String tenant, String type, Instant createdAt, int minGeneration, String replayOf, String by,
                        Instant at) {
}
