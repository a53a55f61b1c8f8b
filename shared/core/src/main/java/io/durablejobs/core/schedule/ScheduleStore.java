package io.durablejobs.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where schedules live. Records never expire while the schedule exists (a schedule is configuration, not
 * a job). Every method may throw {@link io.durablejobs.core.port.StoreUnavailableException}.
 */
public interface ScheduleStore {

    /** Stores a new schedule unless its tenant already has {@code maxPerTenant}; false when over the limit. */
    boolean create(Schedule schedule, int maxPerTenant);

    /** The tenant's schedule; another tenant's id is empty, as an unknown one is. */
    Optional<Schedule> find(String tenant, String id);

    /** The tenant's schedules, oldest first. */
    List<Schedule> list(String tenant);

    /** False when the tenant has no such schedule. */
    boolean delete(String tenant, String id);

    /** Pauses (no ticks until resumed) or resumes with the given next tick; false when the tenant has no such schedule. */
    boolean setPaused(String tenant, String id, boolean paused, Instant nextRunAt);

    /** Up to {@code limit} unpaused schedules whose next tick is at or before {@code now}, most overdue first. */
    List<Schedule> due(Instant now, int limit);

    /**
     * Moves a schedule on from the tick it was read at ({@code expectedNextRunAt}) to {@code nextRunAt}
     * (null: no further tick), recording the tick's job when one was enqueued. Compare-and-set: false when
     * another scheduler instance moved it first, or it was deleted.
     */
    boolean advance(String id, Instant expectedNextRunAt, Instant nextRunAt, Instant tickAt, String jobId);
}
