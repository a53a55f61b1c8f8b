package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What one function reads and writes at run time, from its trigger and platform.json, and so which settings
 * and permissions it gets. terraform/functions.tf (local.access) applies the same rules.
 * <ul>
 *   <li>blobs: {@code readwrite} for the API (PUT /v1/blobs/... uploads a job's input, GET answers a presigned
 *       URL) and for the workers of platform.json {@code bucket.blobJobTypes} (they read inputs and write
 *       outputs), else none. ({@code read} stays for a function that only reads.)
 *       Everyone else keeps the runtime's default local blob store, which is never touched.
 *   <li>deadLetters: the API (the /v1/dlq admin routes, replay, discard) and the DLQ consumer (role dead).
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

    public static FunctionAccess of(FunctionSpec f, JsonNode platform) {
        FunctionSpec.Trigger t = f.trigger();
        boolean deploy = "deploy".equals(t.kind());
        boolean dead = t.isQueue() && "dead".equals(t.role());
        List<String> blobTypes = new ArrayList<>();
        platform.path("bucket").path("blobJobTypes").forEach(n -> blobTypes.add(n.asText()));
        Blobs blobs = t.isHttp() ? Blobs.READWRITE
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
        return new FunctionAccess(blobs, t.isHttp() || dead, dead, List.copyOf(secrets));
    }

    /** The deploy step gets the broker settings only: the runtime resolves every *_SECRET_ARN it is given. */
    public static boolean brokerOnly(FunctionSpec f) {
        return "deploy".equals(f.trigger().kind());
    }
}
