package io.durablejobs.host;

import java.util.HashMap;
import java.util.Map;

/** The environment variables Lambda gives a function, on top of the host's (which carry the JOBS_* settings). */
final class FunctionEnvironment {
    private FunctionEnvironment() {
    }

    static Map<String, String> of(Map<String, String> host, FunctionSpec f) {
        Map<String, String> env = new HashMap<>(host);
        env.putAll(f.environment());
        env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + f.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]host");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("_HANDLER", f.handler());
        env.putIfAbsent("AWS_REGION", HostContext.REGION);
        env.putIfAbsent("AWS_DEFAULT_REGION", env.get("AWS_REGION"));
        return env;
    }
}
