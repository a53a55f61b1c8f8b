package io.durablejobs.infra.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.infra.model.DeploymentInputs;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * One private bucket: job outputs under blobs/ (expire), dead-letter records under dead-letters/ (kept a
 * year, infrequent access after a month). Versioned, so a replayed or purged record can be recovered.
 */
public final class Storage extends Construct {
    private final Bucket bucket;
    private final String blobPrefix;
    private final String deadLetterPrefix;

    public Storage(Construct scope, String id, DeploymentInputs in) {
        super(scope, id);
        JsonNode b = in.platform().path("bucket");
        this.blobPrefix = b.path("blobPrefix").asText("blobs/");
        this.deadLetterPrefix = b.path("deadLetterPrefix").asText("dead-letters/");
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("blobs-expire").prefix(blobPrefix)
                                .expiration(Duration.days(b.path("blobExpireDays").asInt(30))).build(),
                        LifecycleRule.builder().id("dead-letters-age").prefix(deadLetterPrefix)
                                .transitions(List.of(Transition.builder().storageClass(StorageClass.INFREQUENT_ACCESS)
                                        .transitionAfter(Duration.days(b.path("deadLetterInfrequentAccessDays").asInt(30))).build()))
                                .expiration(Duration.days(b.path("deadLetterExpireDays").asInt(365))).build(),
                        LifecycleRule.builder().id("housekeeping")
                                .noncurrentVersionExpiration(Duration.days(b.path("noncurrentVersionExpireDays").asInt(30)))
                                .abortIncompleteMultipartUploadAfter(Duration.days(b.path("abortIncompleteMultipartDays").asInt(7)))
                                .build()))
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public String blobPrefix() {
        return blobPrefix;
    }

    public String deadLetterPrefix() {
        return deadLetterPrefix;
    }

    public String objectsArn(String prefix) {
        return bucket.arnForObjects(prefix + "*");
    }
}
