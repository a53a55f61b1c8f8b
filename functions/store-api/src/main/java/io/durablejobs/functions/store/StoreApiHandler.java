package io.durablejobs.functions.store;

import io.durablejobs.lambda.StoreApiFunction;

/** The store API function's handler: {@code io.durablejobs.functions.store.StoreApiHandler::handleRequest}. */
public final class StoreApiHandler extends StoreApiFunction {
    public StoreApiHandler() {
        super();
    }
}
