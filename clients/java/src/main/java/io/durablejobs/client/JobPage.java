package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A page of {@code GET /v1/jobs}, newest first; {@code nextCursor} is null on the last page. A page may be
 * short, even empty, and still have a cursor: one request looks at a bounded number of jobs, so a selective
 * filter goes on over several pages ({@link JobsClient#listAllJobs} follows them).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobPage(List<Job> items, String nextCursor) {
    public JobPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
