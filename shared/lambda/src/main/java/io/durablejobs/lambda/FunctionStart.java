package io.durablejobs.lambda;

import io.durablejobs.core.config.Settings;
import io.durablejobs.core.type.JobTypeRegistry;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * How every function starts: its environment (secrets resolved) is read once, the platform's settings and
 * the function's own are read together and checked in one go, so a bad start names every bad setting in one
 * {@code ConfigException}, before any connection is opened; then the clients are connected.
 *
 * @param settings the function's own settings
 */
record FunctionStart<S>(PlatformClients clients, S settings) {

    /**
     * @param defaultName the function's name where {@code AWS_LAMBDA_FUNCTION_NAME} is not set (the broker
     *                    connection is named after it)
     * @param readOwn     reads the function's own settings into the shared {@link Settings}; it may add
     *                    problems of its own (a job type's settings) with {@link Settings#problem}
     */
    static <S> FunctionStart<S> connect(Map<String, String> env, String defaultName, BiFunction<Settings, JobTypeRegistry, S> readOwn) {
        return connect(env, defaultName, readOwn, () -> {
        });
    }

    /**
     * As {@link #connect(Map, String, BiFunction)}, with {@code meanwhile} run while Redis connects (see
     * {@link PlatformClients#connect(PlatformSettings, JobTypeRegistry, String, Runnable)}).
     */
    static <S> FunctionStart<S> connect(Map<String, String> env, String defaultName, BiFunction<Settings, JobTypeRegistry, S> readOwn,
                                        Runnable meanwhile) {
        Settings s = new Settings(env);
        PlatformSettings platform = PlatformSettings.read(s, env);
        JobTypeRegistry registry = JobTypeRegistry.fromServiceLoader();
        S own = readOwn.apply(s, registry);
        s.check();
        return new FunctionStart<>(PlatformClients.connect(platform, registry, env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", defaultName), meanwhile),
                own);
    }
}
