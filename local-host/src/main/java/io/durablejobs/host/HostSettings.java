package io.durablejobs.host;

import io.durablejobs.core.config.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The host's own settings (the platform's are {@code JobsConfig}); all optional, listed in the README. */
record HostSettings(
        List<String> functions,
        Path functionsFile,
        int httpPort,
        int apiConcurrency,
        long throttleWaitMillis,
        long shutdownGraceMillis,
        Isolation isolation) {

    /** Which functions run each environment as a JVM of its own: none, all, or those named. */
    record Isolation(boolean all, List<String> functions) {
        static final Isolation NONE = new Isolation(false, List.of());

        static Isolation parse(String v) {
            String s = v.trim();
            if (s.isEmpty() || s.equals("thread")) {
                return NONE;
            }
            if (s.equals("process")) {
                return new Isolation(true, List.of());
            }
            if (s.startsWith("process:")) {
                return new Isolation(false, names(s.substring("process:".length())));
            }
            throw new IllegalArgumentException("must be thread, process, or process:fn1,fn2");
        }

        boolean ownProcess(String function) {
            return all || functions.contains(function);
        }
    }

    static HostSettings from(Map<String, String> env) {
        Settings s = new Settings(env);
        List<String> functions = s.get("JOBS_HOST_FUNCTIONS", "", HostSettings::names);
        Path file = s.get("JOBS_FUNCTIONS_FILE", null, Path::of);
        int port = s.integer("JOBS_HTTP_PORT", 8080, 0, 65535);
        int concurrency = s.integer("JOBS_HOST_API_CONCURRENCY", 32, 1, 1000);
        int wait = s.integer("JOBS_HOST_THROTTLE_WAIT_MS", 1000, 0, 60_000);
        long grace = s.duration("JOBS_HOST_SHUTDOWN_GRACE", "30s").toMillis();
        Isolation isolation = s.get("JOBS_HOST_ISOLATION", "thread", Isolation::parse);
        s.check();
        return new HostSettings(functions, file, port, concurrency, wait, grace, isolation);
    }

    static List<String> names(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
