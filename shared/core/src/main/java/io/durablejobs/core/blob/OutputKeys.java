package io.durablejobs.core.blob;

/**
 * Where a job's output goes when the payload names no key: derived from the job id alone, so a retried or
 * redelivered job overwrites its own earlier output instead of leaving a second copy.
 */
public final class OutputKeys {
    private OutputKeys() {
    }

    /** {@code <tenant>/jobs/<jobId>/output.<extension>}. */
    public static BlobKey forJob(String tenant, String jobId, String extension) {
        return BlobKey.of(tenant, "jobs/" + jobId + "/output." + extension);
    }

    /** The payload's {@code output.blob} (tenant-relative) when given, else {@link #forJob}. */
    public static BlobKey resolve(String tenant, String jobId, String requested, String extension) {
        return requested == null ? forJob(tenant, jobId, extension) : BlobKey.of(tenant, requested);
    }
}
