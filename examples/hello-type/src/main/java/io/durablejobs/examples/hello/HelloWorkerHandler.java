package io.durablejobs.examples.hello;

import io.durablejobs.lambda.WorkerFunction;

/** The example.hello worker: {@code io.durablejobs.examples.hello.HelloWorkerHandler::handleRequest}. */
public final class HelloWorkerHandler extends WorkerFunction {
    public HelloWorkerHandler() {
        super("example.hello");
    }
}
