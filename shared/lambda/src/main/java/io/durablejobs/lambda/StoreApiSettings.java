package io.durablejobs.lambda;

import io.durablejobs.core.blob.BlobRoutes;
import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The store API function's own settings, beside the platform's.
 *
 * @param maxUploadBytes     the largest blob upload ({@code JOBS_BLOB_MAX_UPLOAD_BYTES}, 4 MiB)
 * @param bulkReplayInterval one bulk dead-letter replay per tenant per this long ({@code JOBS_DLQ_BULK_REPLAY_INTERVAL}, 10s)
 * @param bulkReplayMax      the most jobs one bulk replay replays ({@code JOBS_DLQ_BULK_REPLAY_MAX}, 1000)
 */
public record StoreApiSettings(int maxUploadBytes, Duration bulkReplayInterval, int bulkReplayMax) {

    /** Every setting at its default. */
    public static final StoreApiSettings DEFAULTS = from(Map.of());

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static StoreApiSettings from(Map<String, String> env) {
        return Settings.readChecked(env, StoreApiSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static StoreApiSettings read(Settings s) {
        return new StoreApiSettings(BlobRoutes.maxUploadBytes(s), s.duration("JOBS_DLQ_BULK_REPLAY_INTERVAL", "10s"),
                s.integer("JOBS_DLQ_BULK_REPLAY_MAX", 1000, 1, 100_000));
    }
}
