package io.durablejobs.lambda;

import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.config.Settings;
import java.util.Map;

/**
 * What every function reads before it connects: the platform settings, where its metrics and spans go,
 * and the environment itself, which the pluggable stores (blob, dead letters, metrics pusher) read their
 * own settings from when they are opened.
 *
 * @param env the function's environment with its secrets resolved
 */
public record PlatformSettings(JobsConfig config, TelemetrySettings telemetry, Map<String, String> env) {

    public PlatformSettings {
        env = Map.copyOf(env);
    }

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static PlatformSettings from(Map<String, String> env) {
        return Settings.readChecked(env, s -> read(s, env));
    }

    /** Reads into {@code s} (made over {@code env}), which collects the problems for the caller to check. */
    public static PlatformSettings read(Settings s, Map<String, String> env) {
        return new PlatformSettings(JobsConfig.read(s), TelemetrySettings.read(s), env);
    }

    /** The same with other platform settings: tests and benchmarks move one to a namespace of its own. */
    public PlatformSettings withConfig(JobsConfig other) {
        return new PlatformSettings(other, telemetry, env);
    }
}
