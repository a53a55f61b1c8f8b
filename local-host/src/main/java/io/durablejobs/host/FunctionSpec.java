package io.durablejobs.host;

import java.util.Map;

/**
 * One function of {@code functions/functions.json}, with the defaults block applied: the same sizing
 * Lambda gets from CDK and Terraform.
 */
public record FunctionSpec(
        String name,
        String handlerClass,
        String handlerMethod,
        Trigger trigger,
        int memoryMb,
        int timeoutSeconds,
        int batchSize,
        int batchWindowMs,
        int concurrency,
        Map<String, String> environment) {

    public FunctionSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("function without a name");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException(name + ": timeoutSeconds must be 1..900");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException(name + ": batchSize must be 1..10000");
        }
        if (batchWindowMs < 0 || batchWindowMs > 300_000) {
            throw new IllegalArgumentException(name + ": batchWindowMs must be 0..300000");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException(name + ": concurrency must be at least 1");
        }
        environment = Map.copyOf(environment);
    }

    public String handler() {
        return handlerClass + "::" + handlerMethod;
    }

    public boolean isHttp() {
        return trigger instanceof Trigger.Http;
    }

    /** A copy with another handler: tests point a real function's sizing at a test handler. */
    public FunctionSpec withHandler(String cls, String method) {
        return new FunctionSpec(name, cls, method, trigger, memoryMb, timeoutSeconds, batchSize, batchWindowMs, concurrency,
                environment);
    }
}
