package io.durablejobs.functions.pdf;

import io.durablejobs.lambda.WorkerFunction;

/** The pdf.render worker: {@code io.durablejobs.functions.pdf.PdfWorkerHandler::handleRequest}. */
public final class PdfWorkerHandler extends WorkerFunction {
    public PdfWorkerHandler() {
        super("pdf.render");
    }
}
