package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A recurring schedule ({@code GET /v1/schedules/{id}}): a job template submitted on every tick of a cron
 * expression in a time zone. {@code nextRunAt} is absent while paused; {@code lastRunAt}/{@code lastJobId}
 * name the last tick's job.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schedule(String scheduleId, String cron, String timeZone, JobTemplate job, Overlap overlap, MissedTicks missedTicks,
                       Status status, Instant createdAt, Instant nextRunAt, Instant lastRunAt, String lastJobId) {

    /** The job each tick submits. {@code priority} null means the API's default (4). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobTemplate(String type, JsonNode payload, Integer priority) {
        public JobTemplate {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** {@code skip}: a tick whose previous job is still queued, running or retrying submits nothing; {@code allow}: it submits anyway. */
    public enum Overlap {
        SKIP, ALLOW, UNKNOWN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Overlap of(String wire) {
            return Wire.of(Overlap.class, wire, UNKNOWN);
        }
    }

    /** Ticks that passed while nothing ran the scheduler: one job for all of them ({@code run_once}), or none ({@code skip}). */
    public enum MissedTicks {
        RUN_ONCE, SKIP, UNKNOWN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static MissedTicks of(String wire) {
            return Wire.of(MissedTicks.class, wire, UNKNOWN);
        }
    }

    public enum Status {
        ACTIVE, PAUSED, UNKNOWN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status of(String wire) {
            return Wire.of(Status.class, wire, UNKNOWN);
        }
    }

    /** Enum values as the API spells them (lower case); a value newer than this client reads as UNKNOWN. */
    static final class Wire {
        private Wire() {
        }

        static <E extends Enum<E>> E of(Class<E> type, String wire, E unknown) {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(wire)) {
                    return e;
                }
            }
            return unknown;
        }
    }
}
