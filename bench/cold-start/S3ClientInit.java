import java.time.Duration;
import java.util.Map;

/**
 * What building the store API's S3 clients costs at init, apart from the rest of a cold start: in a fresh JVM
 * (the runtime's flags), the S3 blob store (client and presigner; the first SDK client of the JVM, since
 * secrets are read without the SDK), the S3 dead-letter store, and the blob store once more with every class
 * loaded (what re-opening it after a SnapStart restore costs). One JSON line on stdout; no network call is made.
 *
 * <pre>javac -cp functions/store-api/target/store-api-function-0.1.0-SNAPSHOT-lambda.jar -d /tmp/s3init bench/cold-start/S3ClientInit.java
 * java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp functions/store-api/target/store-api-function-0.1.0-SNAPSHOT-lambda.jar:/tmp/s3init S3ClientInit</pre>
 */
public class S3ClientInit {
    static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
    }

    public static void main(String[] a) throws Exception {
        long c1 = cpu(), t1 = System.nanoTime();
        var blobs = io.durablejobs.core.blob.BlobStores.open(Map.of("JOBS_BLOB_STORE", "s3", "JOBS_BLOB_BUCKET", "b", "JOBS_BLOB_PREFIX", "blobs/", "AWS_REGION", "us-east-1"));
        long c2 = cpu(), t2 = System.nanoTime();
        var dead = io.durablejobs.core.dlq.DeadLetterStores.open(Map.of("JOBS_DEAD_LETTER_STORE", "s3", "JOBS_DEAD_LETTER_BUCKET", "b", "JOBS_DEAD_LETTER_PREFIX", "dead-letters/", "AWS_REGION", "us-east-1"));
        long c3 = cpu(), t3 = System.nanoTime();
        blobs.close();
        dead.close();
        // Built again with every class loaded: what a SnapStart restore pays to re-open the store.
        long t4 = System.nanoTime();
        var again = io.durablejobs.core.blob.BlobStores.open(Map.of("JOBS_BLOB_STORE", "s3", "JOBS_BLOB_BUCKET", "b", "JOBS_BLOB_PREFIX", "blobs/", "AWS_REGION", "us-east-1"));
        long t5 = System.nanoTime();
        again.close();
        System.out.printf("{\"s3BlobStoreMs\":%d,\"s3BlobStoreCpuMs\":%d,\"s3DeadLetterStoreMs\":%d,\"s3DeadLetterStoreCpuMs\":%d,\"s3BlobStoreAgainMs\":%d}%n",
                (t2 - t1) / 1_000_000, c2 - c1, (t3 - t2) / 1_000_000, c3 - c2, (t5 - t4) / 1_000_000);
    }
}
