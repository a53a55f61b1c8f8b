package io.durablejobs.core.dlq;

import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.Providers;
import io.durablejobs.core.config.Settings;
import java.util.Map;

/**
 * Picks the dead-letter store named by {@code JOBS_DEAD_LETTER_STORE}: {@code s3} when
 * {@code JOBS_DEAD_LETTER_BUCKET} is set (as infra sets it on AWS), else {@code local}.
 */
public final class DeadLetterStores {
    public static final String STORE = "JOBS_DEAD_LETTER_STORE";
    public static final String BUCKET = "JOBS_DEAD_LETTER_BUCKET";

    private DeadLetterStores() {
    }

    public static DeadLetterStore open(Map<String, String> env) {
        Settings s = new Settings(env);
        String kind = s.string(STORE, s.string(BUCKET, null) != null ? "s3" : "local");
        return Providers.find(DeadLetterStoreProvider.class, DeadLetterStores.class.getClassLoader(), DeadLetterStoreProvider::kind,
                STORE, kind, "the S3 store needs the jobs-aws-ops module").open(env);
    }
}
