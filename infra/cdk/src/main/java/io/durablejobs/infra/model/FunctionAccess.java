package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What one function reads and writes at run time, from its trigger and platform.json, and so which settings
 * and permissions it gets. terraform/functions.tf (local.access) applies the same rules.
 * An http function's needs follow from the routes it serves ({@link ApiRoutes}), so the submit function,
 * whose routes touch neither store, gets no bucket setting or grant (and carries no S3 client).
 * <ul>
 *   <li>blobs: {@code readwrite} for the http function serving {@code /v1/blobs/...} (PUT uploads a job's input,
 *       GET answers a presigned URL) and for the workers of platform.json {@code bucket.blobJobTypes} (they read
 *       inputs and write outputs), else none. ({@code read} stays for a function that only reads.)
 *       Everyone else keeps the runtime's default local blob store, which is never touched.
 *   <li>deadLetters: the http function serving {@code /v1/dlq...} (inspect, replay, discard) and the DLQ
 *       consumer (role dead).
 *   <li>pushMetrics: the DLQ consumer only (PutMetricData of the alarm metrics, also on a schedule).
 *   <li>secrets: the broker's for everyone; the cache's for all but the deploy step (it only declares the
 *       topology); the API keys for http; the webhook signing key for {@code webhook.*} workers.
 * </ul>
 */
public record FunctionAccess(Blobs blobs, boolean deadLetters, boolean pushMetrics, List<Secret> secrets) {
    public enum Blobs { NONE, READ, READWRITE }

    /** Each secret with the setting that names it (shared/lambda SecretSettings). */
    public enum Secret {
        BROKER("JOBS_RABBITMQ_SECRET_ARN"),
        CACHE("JOBS_REDIS_SECRET_ARN"),
        API_KEYS("JOBS_API_KEYS_SECRET_ARN"),
        WEBHOOK_SIGNING("JOBS_WEBHOOK_SIGNING_SECRET_ARN");

        private final String setting;

        Secret(String setting) {
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    /** Paths of the routes backed by each store. */
    static final String BLOB_ROUTES = "/v1/blobs/";
    static final String DEAD_LETTER_ROUTES = "/v1/dlq";

    /** {@code f} as the only function of its table (an http function then serves every route). */
    public static FunctionAccess of(FunctionSpec f, JsonNode platform) {
        return of(f, platform, List.of(f));
    }

    /** {@code f}, one of {@code table}'s functions: an http function's stores follow from the routes it serves. */
    public static FunctionAccess of(FunctionSpec f, JsonNode platform, List<FunctionSpec> table) {
        FunctionSpec.Trigger t = f.trigger();
        List<String> served = t.isHttp() ? ApiRoutes.servedBy(f.name(), platform, table) : List.of();
        boolean blobRoutes = served.stream().anyMatch(k -> k.substring(k.indexOf(' ') + 1).startsWith(BLOB_ROUTES));
        boolean deadLetterRoutes = served.stream().anyMatch(k -> k.substring(k.indexOf(' ') + 1).startsWith(DEAD_LETTER_ROUTES));
        boolean deploy = "deploy".equals(t.kind());
        boolean dead = t.isQueue() && "dead".equals(t.role());
        List<String> blobTypes = new ArrayList<>();
        platform.path("bucket").path("blobJobTypes").forEach(n -> blobTypes.add(n.asText()));
        Blobs blobs = blobRoutes ? Blobs.READWRITE
                : t.isQueue() && t.jobType() != null && blobTypes.contains(t.jobType()) ? Blobs.READWRITE
                : Blobs.NONE;
        List<Secret> secrets = new ArrayList<>(List.of(Secret.BROKER));
        if (!deploy) {
            secrets.add(Secret.CACHE);
        }
        if (t.isHttp()) {
            secrets.add(Secret.API_KEYS);
        }
        if (t.isQueue() && t.jobType() != null && t.jobType().startsWith("webhook.")) {
            secrets.add(Secret.WEBHOOK_SIGNING);
        }
        return new FunctionAccess(blobs, deadLetterRoutes || dead, dead, List.copyOf(secrets));
    }

    /** The deploy step gets the broker settings only: the runtime resolves every *_SECRET_ARN it is given. */
    public static boolean brokerOnly(FunctionSpec f) {
        return "deploy".equals(f.trigger().kind());
    }
}
