package io.durablejobs.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads named settings from an environment map, collecting every problem instead of stopping at the
 * first, so one start-up error lists all that is wrong. A function's composition root makes one, has each
 * module's settings record read its part ({@code JobsConfig.read(s)}, {@code AdmissionSettings.read(s)},
 * ...), then calls {@link #check()} once, before it opens any connection. Modules with settings of their
 * own (the host, a job type) use it too.
 */
public final class Settings {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public Settings(Map<String, String> env) {
        this.env = env;
    }

    /**
     * Reads one module's settings on their own and checks them: what each settings record's {@code from(env)}
     * does. A composition root reads several records into one {@code Settings} and checks once instead.
     *
     * @throws ConfigException naming every bad setting {@code reader} met
     */
    public static <T> T readChecked(Map<String, String> env, Function<Settings, T> reader) {
        Settings s = new Settings(env);
        T settings = reader.apply(s);
        s.check();
        return settings;
    }

    public String string(String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public <T> T get(String name, String fallback, Function<String, T> parse) {
        String raw = string(name, fallback);
        if (raw == null) {
            return null;
        }
        try {
            return parse.apply(raw);
        } catch (RuntimeException e) {
            problems.add(name + "=" + redactIfSecret(name, raw) + ": " + e.getMessage());
            // Keep collecting problems: carry on with the default (none, for a setting without one).
            return fallback == null ? null : parse.apply(fallback);
        }
    }

    public int integer(String name, int fallback, int min, int max) {
        return get(name, Integer.toString(fallback), s -> {
            int v = Integer.parseInt(s);
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return v;
        });
    }

    public boolean bool(String name, boolean fallback) {
        return get(name, Boolean.toString(fallback), s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        });
    }

    public Duration duration(String name, String fallback) {
        return get(name, fallback, Durations::parse);
    }

    public void problem(String message) {
        problems.add(message);
    }

    /** Throws a {@link ConfigException} naming every problem seen so far. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private static String redactIfSecret(String name, String raw) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("KEY") || n.contains("SECRET") || n.contains("PASSWORD") || n.contains("URI") ? "<redacted>" : raw;
    }
}
