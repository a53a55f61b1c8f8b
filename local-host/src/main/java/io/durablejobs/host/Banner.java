package io.durablejobs.host;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code ./dev up} prints once at start, for the developer at the console: where the API is, the
 * dev API key when the host generated it, where the signing secret came from, which functions run.
 * Keys go to this console print only, never to the log.
 */
final class Banner {
    private Banner() {
    }

    static String text(LocalHost host, FunctionTable table, DevSecrets secrets, List<String> skipped) {
        StringBuilder b = new StringBuilder("\n  durable jobs: local function host (namespace ").append(host.namespace()).append(")\n");
        if (host.port() > 0) {
            b.append("  API        ").append(host.apiUrl()).append("   health: ").append(host.apiUrl()).append("/healthz\n");
            b.append("  dashboard  ").append(host.apiUrl()).append("/dashboard   (queue depths and rates, dead letters; enter the API key)\n");
        } else {
            b.append("  API        not served (no http function selected)\n");
        }
        String keys = host.env().get(DevSecrets.API_KEYS);
        if (secrets.apiKeyGenerated()) {
            String key = keys.substring(keys.indexOf('=') + 1);
            b.append("  API key    ").append(key).append("   (tenant dev, generated for this run: Authorization: Bearer ")
                    .append(key).append(")\n");
        } else {
            b.append("  API keys   from JOBS_API_KEYS (").append(keys.split(",").length).append(" tenant(s))\n");
        }
        if (secrets.signingSecretGenerated()) {
            b.append("  signing    ").append(host.env().get(DevSecrets.SIGNING_SECRET)).append("   (generated for this run)\n");
        } else {
            b.append("  signing    JOBS_WEBHOOK_SIGNING_SECRET from the environment\n");
        }
        b.append("  functions  ").append(host.functions().stream().map(Banner::describe).collect(Collectors.joining("\n             ")))
                .append(skipped.isEmpty() ? "" : "\n  skipped    " + String.join(", ", skipped) + " (handler not on the classpath)")
                .append("\n  Ctrl-C stops consuming, finishes in-flight batches and exits.\n\n");
        return b.toString();
    }

    private static String describe(FunctionRuntime r) {
        return describe(r.spec()) + (r.ownProcess() ? " [own JVM per environment]" : "");
    }

    private static String describe(FunctionSpec f) {
        String trigger = f.trigger() instanceof Trigger.Http h ? (h.routes().isEmpty() ? "API Gateway, every other route"
                : "API Gateway, " + h.routes().size() + " routes")
                : f.trigger() instanceof Trigger.WorkQueue w ? "queue job type " + w.jobType() + ", batch " + f.batchSize()
                + ", window " + f.batchWindowMs() + " ms, concurrency " + f.concurrency()
                : f.trigger() instanceof Trigger.Schedule sch ? "EventBridge " + sch.expression()
                : "dead-letter queue, batch " + f.batchSize();
        return f.name() + " (" + trigger + ", timeout " + f.timeoutSeconds() + " s)";
    }
}
