package io.durablejobs.functions.scheduler;

import io.durablejobs.lambda.SchedulerFunction;

/** The scheduler function's handler: {@code io.durablejobs.functions.scheduler.SchedulerHandler::handleRequest}. */
public final class SchedulerHandler extends SchedulerFunction {
    public SchedulerHandler() {
        super();
    }
}
