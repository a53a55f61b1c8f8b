package io.durablejobs.host;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start a host. {@code env} plays the process environment (platform settings such as
 * {@code JOBS_NAMESPACE} and host settings such as {@code JOBS_HOST_FUNCTIONS}); the other fields, when
 * set, win over it: a function table given directly (tests), the functions to run, the HTTP port
 * (0 = any free port).
 */
public record HostOptions(Map<String, String> env, FunctionTable functionTable, List<String> functions, Integer httpPort,
                          boolean banner) {

    public HostOptions {
        env = Map.copyOf(env);
        functions = functions == null ? null : List.copyOf(functions);
    }

    /** The process environment, everything else from it: what {@code java -jar local-host.jar} does. */
    public static HostOptions fromEnvironment() {
        return new HostOptions(System.getenv(), null, null, null, true);
    }

    /** For embedding: this environment (on top of nothing else), no banner. */
    public static HostOptions of(Map<String, String> env) {
        return new HostOptions(env, null, null, null, false);
    }

    public HostOptions withEnv(String name, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(name, value);
        return new HostOptions(e, functionTable, functions, httpPort, banner);
    }

    public HostOptions withFunctionTable(FunctionTable table) {
        return new HostOptions(env, table, functions, httpPort, banner);
    }

    public HostOptions withFunctionsFile(Path file) {
        return withFunctionTable(FunctionTable.load(file));
    }

    public HostOptions withFunctions(String... names) {
        return new HostOptions(env, functionTable, List.of(names), httpPort, banner);
    }

    public HostOptions withHttpPort(int port) {
        return new HostOptions(env, functionTable, functions, port, banner);
    }

    public HostOptions withBanner(boolean show) {
        return new HostOptions(env, functionTable, functions, httpPort, show);
    }
}
