package io.durablejobs.adapters.dlq;

import io.durablejobs.core.config.Settings;
import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreProvider;
import java.nio.file.Path;
import java.util.Map;

/** {@code JOBS_DEAD_LETTER_STORE=local} (the default without a bucket): files under {@code JOBS_DLQ_DIR} ({@code .jobs-dev/dead-letters}). */
public final class LocalDeadLetterStoreProvider implements DeadLetterStoreProvider {
    public static final String DIR = "JOBS_DLQ_DIR";
    public static final String DEFAULT_DIR = ".jobs-dev/dead-letters";

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public DeadLetterStore open(Map<String, String> env) {
        Settings s = new Settings(env);
        Path dir = s.get(DIR, DEFAULT_DIR, Path::of);
        String ns = s.string("JOBS_NAMESPACE", "jobs");
        s.check();
        return new LocalDeadLetterStore(dir, ns);
    }
}
