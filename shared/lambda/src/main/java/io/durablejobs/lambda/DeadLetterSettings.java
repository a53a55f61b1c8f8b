package io.durablejobs.lambda;

import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The DLQ consumer's own settings, beside the platform's.
 *
 * @param ledgerMismatchGrace how long a ledger difference must persist to count as {@code LedgerMismatch}
 *                            ({@code JOBS_LEDGER_MISMATCH_GRACE}, 10m)
 * @param queueDepthTypes     whose queue depth to publish ({@code JOBS_QUEUE_DEPTH_TYPES}, comma-separated): infra
 *                            names the deployed workers' types, which need not be on this function's classpath (a
 *                            custom type's worker ships its own jar); empty means the types registered here
 */
public record DeadLetterSettings(Duration ledgerMismatchGrace, List<String> queueDepthTypes) {

    /** Every setting at its default. */
    public static final DeadLetterSettings DEFAULTS = from(Map.of());

    public DeadLetterSettings {
        queueDepthTypes = List.copyOf(queueDepthTypes);
    }

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static DeadLetterSettings from(Map<String, String> env) {
        return Settings.readChecked(env, DeadLetterSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static DeadLetterSettings read(Settings s) {
        Duration grace = s.duration("JOBS_LEDGER_MISMATCH_GRACE", "10m");
        List<String> types = s.get("JOBS_QUEUE_DEPTH_TYPES", "", v -> Arrays.stream(v.split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).toList());
        return new DeadLetterSettings(grace, types);
    }
}
