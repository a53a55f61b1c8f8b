package io.durablejobs.functions.webhook;

import io.durablejobs.lambda.WorkerFunction;

/** The webhook.deliver worker: {@code io.durablejobs.functions.webhook.WebhookWorkerHandler::handleRequest}. */
public final class WebhookWorkerHandler extends WorkerFunction {
    public WebhookWorkerHandler() {
        super("webhook.deliver");
    }
}
