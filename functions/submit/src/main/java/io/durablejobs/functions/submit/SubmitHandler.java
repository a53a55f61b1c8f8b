package io.durablejobs.functions.submit;

import io.durablejobs.lambda.SubmitFunction;

/** The submit function's handler: {@code io.durablejobs.functions.submit.SubmitHandler::handleRequest}. */
public final class SubmitHandler extends SubmitFunction {
    public SubmitHandler() {
        super();
    }
}
