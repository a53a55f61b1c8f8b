package io.durablejobs.host;

import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.lambda.SecretsManagerFetcher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host will run, computed and checked before it acts: before it announces keys, connects to the
 * broker, declares a queue or serves a port. Every problem found (a bad setting, an unknown function, a
 * handler that does not load, an HTTP port in use) is collected into one {@link ConfigException}, so a
 * developer fixes them all from one message.
 *
 * @param env         the environment the functions see: the given one, *_SECRET_ARN secrets resolved, dev
 *                    secrets generated where none was given, {@code JOBS_SHARDS} from the function table
 * @param table       the functions that will run (the selection, less those skipped)
 * @param skipped     selected functions whose handler is not on the classpath (running "all" only)
 * @param httpAddress where the http functions are served (API Gateway in front of them); null when none is selected
 */
record HostPlan(DevSecrets secrets, Map<String, String> env, HostSettings settings, JobsConfig config,
                FunctionTable table, List<FunctionRuntime> runtimes, List<String> skipped, Topology topology,
                InetSocketAddress httpAddress) {

    private static final Logger LOG = LoggerFactory.getLogger(HostPlan.class);

    static HostPlan of(HostOptions options) throws IOException {
        List<String> problems = new ArrayList<>();
        // *_SECRET_ARN first (Secrets Manager; LocalStack's under Docker Compose), so the host's own broker and
        // Redis connections use the same credentials as its functions, and a key read from there is not replaced
        // by a generated one.
        DevSecrets secrets = DevSecrets.fill(SecretsManagerFetcher.resolve(options.env()));
        Map<String, String> env = secrets.env();
        HostSettings settings = collect(problems, () -> HostSettings.from(secrets.env()));
        FunctionTable whole = settings == null ? null
                : collect(problems, () -> options.functionTable() != null ? options.functionTable()
                : FunctionTable.load(settings.functionsFile()));
        env = withShards(env, whole);
        Map<String, String> functionEnv = env;
        JobsConfig config = collect(problems, () -> JobsConfig.from(functionEnv));
        if (whole == null || config == null) {
            throw new ConfigException(problems);
        }

        List<String> selection = options.functions() != null ? options.functions() : settings.functions();
        FunctionTable selected = collect(problems, () -> whole.select(selection));
        if (selected == null) {
            throw new ConfigException(problems);
        }
        List<FunctionRuntime> runtimes = new ArrayList<>();
        List<FunctionSpec> runnable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        ClassLoader loader = loader();
        for (FunctionSpec f : selected.functions()) {
            if (selection.isEmpty() && !onClasspath(f.handlerClass(), loader)) {
                // Running "all": a function whose module is not packed into this host is skipped, loudly.
                LOG.warn("function {} skipped: its handler {} is not on the host's classpath (add its module to "
                        + "local-host/pom.xml)", f.name(), f.handlerClass());
                skipped.add(f.name());
                continue;
            }
            HandlerMethod handler = collect(problems, () -> HandlerMethod.resolve(f.handlerClass(), f.handlerMethod(), loader));
            if (handler != null) {
                runtimes.add(new FunctionRuntime(f, handler, FunctionEnvironment.of(functionEnv, f),
                        settings.isolation().ownProcess(f)));
                runnable.add(f);
            }
        }
        FunctionTable table = new FunctionTable(runnable);
        InetSocketAddress http = null;
        if (runnable.stream().anyMatch(FunctionSpec::isHttp)) {
            int port = options.httpPort() != null ? options.httpPort() : settings.httpPort();
            http = new InetSocketAddress(settings.httpBind(), port);
            String inUse = portInUse(http, options.httpPort() == null);
            if (inUse != null) {
                problems.add(inUse);
            }
        }
        Topology topology = collect(problems, () -> topology(config, functionEnv, table));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new HostPlan(secrets, functionEnv, settings, config, table, List.copyOf(runtimes), List.copyOf(skipped),
                topology, http);
    }

    /**
     * As infra does on AWS: every function learns the sharded types from the table (the submit function
     * spreads jobs over them), whichever subset of functions this host runs.
     */
    private static Map<String, String> withShards(Map<String, String> env, FunctionTable whole) {
        String given = env.get("JOBS_SHARDS");
        if (whole == null || whole.shardSpec().isEmpty() || (given != null && !given.isBlank())) {
            return env;
        }
        Map<String, String> e = new HashMap<>(env);
        e.put("JOBS_SHARDS", whole.shardSpec());
        return Map.copyOf(e);
    }

    /** The queues of every registered job type and of every type a selected function consumes. */
    private static Topology topology(JobsConfig config, Map<String, String> env, FunctionTable table) {
        Set<String> types = new LinkedHashSet<>(registeredJobTypes(env));
        types.addAll(table.jobTypes());
        return config.topology(types);
    }

    /** The job types on the classpath (their providers may read configuration, so inside {@link Env#with}). */
    private static Set<String> registeredJobTypes(Map<String, String> env) {
        try {
            return new LinkedHashSet<>(Env.with(env, JobTypeRegistry::fromServiceLoader).names());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("job types did not load: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the HTTP port is taken, checked before the host declares queues or starts consumers so that
     * a second {@code ./dev up} stops at once with the port's name; the front's own bind reports the same
     * should another process take the port in between.
     */
    static String portInUse(InetSocketAddress address, boolean fromSetting) {
        if (address.getPort() == 0) {
            return null;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
            return null;
        } catch (IOException e) {
            return portMessage(address, fromSetting);
        }
    }

    static String portMessage(InetSocketAddress address, boolean fromSetting) {
        return "port " + address.getPort() + " on " + address.getAddress().getHostAddress() + " is in use (another host? "
                + "./dev down stops the one ./dev up started)"
                + (fromSetting ? "; set JOBS_HTTP_PORT to a free port" : "; pass a free --port");
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : LocalHost.class.getClassLoader();
    }

    private static boolean onClasspath(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The value, or null with its problems added: a settings reader's list, or any other refusal's message. */
    private static <T> T collect(List<String> problems, Supplier<T> step) {
        try {
            return step.get();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        } catch (RuntimeException e) {
            problems.add(e.getMessage() != null ? e.getMessage() : e.toString());
        }
        return null;
    }
}
