package io.durablejobs.blob.s3;

import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStoreContract;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** The same contract against LocalStack's S3 where Docker exists; skipped, with the reason printed, where not. */
@Testcontainers(disabledWithoutDocker = true)
class S3BlobStoreLocalStackIT extends BlobStoreContract {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0"))
            .withServices("s3");

    private S3BlobStore store;

    @Override
    protected BlobStore store() {
        if (store == null) {
            store = S3Fixture.store(LOCALSTACK.getEndpoint(), LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey(),
                    LOCALSTACK.getRegion(), "jobs-it-" + tenant.toLowerCase());
        }
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected byte[] fetch(URI url, String tenant) throws Exception {
        return S3Fixture.httpGet(url);
    }
}
