package io.durablejobs.pdf;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.util.List;

/**
 * What the submit function needs of {@code pdf.render}: its name and payload validation (against the
 * default block limit; the worker applies its configured one), without PDFBox and the embedded font of
 * {@code PdfRenderType}, which the registry keeps instead where both are on the classpath.
 */
public class PdfRenderSpec implements JobType {
    public static final String NAME = "pdf.render";
    public static final int DEFAULT_MAX_BLOCKS = 2000;

    @Override
    public final String name() {
        return NAME;
    }

    @Override
    public final List<FieldError> validate(JsonNode payload) {
        return PdfPayload.validate(payload, DEFAULT_MAX_BLOCKS);
    }

    /** Overridden by the full type; a worker that reaches this was built without its type's handler module. */
    @Override
    public Outcome handle(JobContext context) throws Exception {
        throw new IllegalStateException(NAME + ": this function carries only the spec of the type, not its handler");
    }
}
