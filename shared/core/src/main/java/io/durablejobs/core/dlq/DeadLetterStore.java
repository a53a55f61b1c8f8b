package io.durablejobs.core.dlq;

import java.util.List;
import java.util.Optional;

/**
 * Durable dead-letter records, one per job, scoped by tenant, listable newest first by type and time.
 * Every method throws {@link DeadLetterStoreUnavailableException} when the store cannot be reached.
 * Implementations: files under a local folder (default), S3 (one object per job plus a listing index).
 */
public interface DeadLetterStore extends AutoCloseable {

    /** Writes (or replaces) the job's record; repeating it is harmless (indexes are rewritten too). */
    void put(DeadLetter record);

    Optional<DeadLetter> find(String tenant, String jobId);

    /** Records in state DEAD matching the query, newest first. */
    DeadLetterPage list(DeadLetterQuery query);

    /** Removes the record (discard). Returns whether there was one. */
    boolean delete(String tenant, String jobId);

    /** Across all tenants: records in state DEAD, and the oldest one's time. */
    DlqDepth depth();

    /** Appends an audit record of an admin action. */
    void audit(AuditEntry entry);

    /** The newest audit records of a tenant, newest first. */
    List<AuditEntry> audits(String tenant, int limit);

    /** {@code local} or {@code s3}. */
    String kind();

    @Override
    default void close() {
    }
}
