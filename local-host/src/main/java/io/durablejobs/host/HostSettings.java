package io.durablejobs.host;

import io.durablejobs.core.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The host's own settings (the platform's are {@code JobsConfig}); all optional, listed in the README. */
record HostSettings(
        List<String> functions,
        Path functionsFile,
        int httpPort,
        InetAddress httpBind,
        int apiConcurrency,
        long throttleWaitMillis,
        boolean stageThrottle,
        long shutdownGraceMillis,
        Isolation isolation,
        HttpLimits httpLimits,
        Duration schedulePeriod) {

    /**
     * Which functions run each environment as a JVM of its own. {@code auto} (the default): every queue
     * function, because a job handler may run CPU-bound work on threads of its own that ignore interruption,
     * and only ending the JVM stops them when the environment times out (as Lambda ends a sandbox); the http
     * function stays in threads (its work is short, bounded network I/O, and it runs up to
     * {@code JOBS_HOST_API_CONCURRENCY} environments).
     */
    record Isolation(Mode mode, List<String> functions) {
        enum Mode { THREAD, AUTO, ALL, NAMED }

        static final Isolation NONE = new Isolation(Mode.THREAD, List.of());

        static Isolation parse(String v) {
            String s = v.trim();
            if (s.isEmpty() || s.equals("auto")) {
                return new Isolation(Mode.AUTO, List.of());
            }
            if (s.equals("thread")) {
                return NONE;
            }
            if (s.equals("process")) {
                return new Isolation(Mode.ALL, List.of());
            }
            if (s.startsWith("process:")) {
                return new Isolation(Mode.NAMED, names(s.substring("process:".length())));
            }
            throw new IllegalArgumentException("must be auto, thread, process, or process:fn1,fn2");
        }

        boolean ownProcess(FunctionSpec function) {
            return switch (mode) {
                case THREAD -> false;
                case AUTO -> !(function.trigger() instanceof Trigger.Http);
                case ALL -> true;
                case NAMED -> functions.contains(function.name());
            };
        }
    }

    static HostSettings from(Map<String, String> env) {
        Settings s = new Settings(env);
        List<String> functions = s.get("JOBS_HOST_FUNCTIONS", "", HostSettings::names);
        Path file = s.get("JOBS_FUNCTIONS_FILE", null, Path::of);
        int port = s.integer("JOBS_HTTP_PORT", 8080, 0, 65535);
        // Loopback unless asked: the API then is not reachable from the network. A container sets 0.0.0.0
        // so that its published port reaches it.
        InetAddress bind = s.get("JOBS_HTTP_BIND", "127.0.0.1", HostSettings::address);
        int concurrency = s.integer("JOBS_HOST_API_CONCURRENCY", 32, 1, 1000);
        // No wait by default: Lambda answers a synchronous invoke past the function's concurrency at once.
        int wait = s.integer("JOBS_HOST_THROTTLE_WAIT_MS", 0, 0, 60_000);
        boolean stageThrottle = s.get("JOBS_HOST_STAGE_THROTTLE", "on", HostSettings::onOff);
        long grace = s.duration("JOBS_HOST_SHUTDOWN_GRACE", "30s").toMillis();
        Isolation isolation = s.get("JOBS_HOST_ISOLATION", "auto", Isolation::parse);
        HttpLimits d = HttpLimits.DEFAULTS;
        HttpLimits limits = new HttpLimits(
                s.duration("JOBS_HOST_HEADER_TIMEOUT", d.headerTimeout().toSeconds() + "s"),
                s.duration("JOBS_HOST_BODY_TIMEOUT", d.bodyTimeout().toSeconds() + "s"),
                s.duration("JOBS_HOST_IDLE_TIMEOUT", d.idleTimeout().toSeconds() + "s"),
                s.integer("JOBS_HOST_MAX_CONNECTIONS", d.maxConnections(), 1, 1_000_000),
                s.integer("JOBS_HOST_MAX_CONNECTIONS_PER_CLIENT", d.maxConnectionsPerClient(), 1, 1_000_000),
                d.maxBodyBytesInFlight());
        // Schedule rules fire on their own rate unless this overrides it (tests and demos that cannot wait a minute).
        String period = env.get("JOBS_HOST_SCHEDULE_PERIOD");
        Duration schedulePeriod = period == null || period.isBlank() ? null : s.duration("JOBS_HOST_SCHEDULE_PERIOD", "1m");
        s.check();
        return new HostSettings(functions, file, port, bind, concurrency, wait, stageThrottle, grace, isolation, limits, schedulePeriod);
    }

    /** An IP address (v4 or v6); host names are refused so that the setting never waits on DNS. */
    static InetAddress address(String v) {
        String a = v.trim();
        if (!a.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("must be an IP address such as 127.0.0.1 or 0.0.0.0");
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("must be an IP address such as 127.0.0.1 or 0.0.0.0");
        }
    }

    static boolean onOff(String v) {
        return switch (v.trim()) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("must be on or off");
        };
    }

    static List<String> names(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
