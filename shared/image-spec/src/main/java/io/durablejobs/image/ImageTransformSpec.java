package io.durablejobs.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.Settings;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.util.List;

/**
 * What the submit function needs of {@code image.transform}: its name and payload validation, without the
 * image codecs and HTTP client of {@code ImageTransformType}, which the registry keeps instead where both
 * are on the classpath.
 */
public class ImageTransformSpec implements JobType {
    public static final String NAME = "image.transform";
    /** Also read at submit: plain http sources are accepted only where the worker may fetch them. */
    public static final String ALLOW_PRIVATE_NETWORKS = "JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS";

    /**
     * Read once, when the function's composition root loads the job types (inside the function's environment,
     * {@link Env}), not on every validation. A bad value means no: the worker, which reads the same setting
     * with the rest of its own, refuses to start on it.
     */
    private final boolean plainHttpAllowed = new Settings(Env.current()).bool(ALLOW_PRIVATE_NETWORKS, false);

    @Override
    public final String name() {
        return NAME;
    }

    @Override
    public final List<FieldError> validate(JsonNode payload) {
        return ImagePayload.validate(payload, plainHttpAllowed);
    }

    /** Overridden by the full type; a worker that reaches this was built without its type's handler module. */
    @Override
    public Outcome handle(JobContext context) throws Exception {
        throw new IllegalStateException(NAME + ": this function carries only the spec of the type, not its handler");
    }
}
