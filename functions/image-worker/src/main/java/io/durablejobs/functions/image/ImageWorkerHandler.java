package io.durablejobs.functions.image;

import io.durablejobs.lambda.WorkerFunction;

/** The image.transform worker: {@code io.durablejobs.functions.image.ImageWorkerHandler::handleRequest}. */
public final class ImageWorkerHandler extends WorkerFunction {
    public ImageWorkerHandler() {
        super("image.transform");
    }
}
