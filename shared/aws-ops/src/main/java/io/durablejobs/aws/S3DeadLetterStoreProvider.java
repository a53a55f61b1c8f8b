package io.durablejobs.aws;

import io.durablejobs.core.config.Settings;
import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreProvider;
import io.durablejobs.core.dlq.DeadLetterStores;
import java.util.Map;

/**
 * {@code JOBS_DEAD_LETTER_STORE=s3} (the default when {@code JOBS_DEAD_LETTER_BUCKET} is set, as infra does):
 * bucket {@code JOBS_DEAD_LETTER_BUCKET}, key prefix {@code JOBS_DEAD_LETTER_PREFIX} ({@code dead-letters/}),
 * then the namespace. Region, endpoint and credentials as {@link AwsClients} reads them.
 */
public final class S3DeadLetterStoreProvider implements DeadLetterStoreProvider {
    public static final String PREFIX = "JOBS_DEAD_LETTER_PREFIX";

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public DeadLetterStore open(Map<String, String> env) {
        Settings s = new Settings(env);
        String bucket = s.string(DeadLetterStores.BUCKET, null);
        if (bucket == null) {
            s.problem(DeadLetterStores.BUCKET + " is required for the S3 dead-letter store");
        }
        String prefix = s.string(PREFIX, "dead-letters/");
        String ns = s.string("JOBS_NAMESPACE", "jobs");
        AwsClients aws = AwsClients.from(s);
        s.check();
        return new S3DeadLetterStore(aws.s3(), bucket, prefix, ns);
    }
}
