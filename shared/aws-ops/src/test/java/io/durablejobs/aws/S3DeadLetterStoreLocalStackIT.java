package io.durablejobs.aws;

import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.s3.S3Client;

/** The dead-letter store contract against LocalStack's S3 where Docker exists; skipped, with the reason printed, where not. */
@Testcontainers(disabledWithoutDocker = true)
class S3DeadLetterStoreLocalStackIT extends DeadLetterStoreContract {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0"))
            .withServices("s3");

    private S3DeadLetterStore store;

    @Override
    protected DeadLetterStore store() {
        if (store == null) {
            S3Client s3 = S3DeadLetterStoreTest.client(LOCALSTACK.getEndpoint(), LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey(),
                    LOCALSTACK.getRegion());
            String bucket = "dlq-" + tenant.toLowerCase();
            s3.createBucket(b -> b.bucket(bucket));
            store = new S3DeadLetterStore(s3, bucket, "dead-letters/", "jobs");
        }
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
