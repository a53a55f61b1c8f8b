package io.durablejobs.core.port;

import io.durablejobs.core.job.JobRecord;
import java.time.Duration;
import java.util.Optional;

/** Job status records. Every method may throw {@link StoreUnavailableException}. */
public interface JobStore {

    enum Result { APPLIED, REFUSED, MISSING }

    /** Writes a new record; its time to live is renewed on every change. */
    void create(JobRecord record, Duration ttl);

    /** Removes a record that never became a job (its publish was not confirmed). */
    void delete(String jobId);

    Optional<JobRecord> find(String jobId);

    Result transition(String jobId, Transition transition, Duration ttl);
}
