package io.durablejobs.core.config;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where configuration is read from: the process environment, as on Lambda. The local function host runs
 * several functions in one JVM, each with its own environment variables as Lambda gives each function;
 * it sets them for the duration of a handler's construction (the only time configuration is read).
 */
public final class Env {
    private static final ThreadLocal<Map<String, String>> SCOPED = new ThreadLocal<>();

    private Env() {
    }

    public static Map<String, String> current() {
        Map<String, String> scoped = SCOPED.get();
        return scoped != null ? scoped : System.getenv();
    }

    /** Runs {@code body} with {@code env} as the environment this thread's configuration reads. */
    public static <T> T with(Map<String, String> env, Callable<T> body) throws Exception {
        Map<String, String> previous = SCOPED.get();
        SCOPED.set(Map.copyOf(env));
        try {
            return body.call();
        } finally {
            if (previous == null) {
                SCOPED.remove();
            } else {
                SCOPED.set(previous);
            }
        }
    }
}
