package io.durablejobs.bench.load;

import io.durablejobs.lambda.WorkerFunction;

/** The benchmark's worker function for {@code bench.noop}. */
public final class NoopWorkerHandler extends WorkerFunction {
    public NoopWorkerHandler() {
        super("bench.noop");
    }
}
