package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An http function's SnapStart hooks (the submit and store API functions). Lambda snapshots an execution environment once per published
 * version and restores copies of it for later cold starts, so:
 * <ul>
 *   <li>before the snapshot, one request path is run (an authenticated GET of a job or dead letter that cannot
 *       exist, see {@link ApiFunction#primingPath}, and every type's validation) so the restored environment has its classes loaded and its code warm; it
 *       creates no job and spends no rate-limit token. Then the broker and Redis connections (and every
 *       other client) are closed: a restored copy must not share, or wait on, sockets of the snapshot;
 *   <li>after each restore, the environment is read again (secrets may have rotated since the snapshot was
 *       taken, possibly days ago) and every client is re-opened.
 * </ul>
 * Where the JVM has no CRaC (a plain JVM, the local host) the hooks are registered but never called.
 */
final class SnapStartHooks implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);

    private final ApiFunction function;
    private final Supplier<Map<String, String>> environment;
    /** The status the priming request got (404 when it ran as meant); 0 before any snapshot. */
    private volatile int primedStatus;

    SnapStartHooks(ApiFunction function, Supplier<Map<String, String>> environment) {
        this.function = function;
        this.environment = environment;
    }

    void register() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        ApiFunction.Wiring w = function.wiring();
        if (w == null) {
            return;
        }
        prime(w);
        function.rewire(null);
        if (w.owned() != null) {
            w.owned().close();
        }
        LOG.info("snapshot: request path primed, connections closed");
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        long t0 = System.nanoTime();
        function.rewire(function.connect(environment.get()));
        LOG.info("restore: secrets read again and connections re-opened in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** A request that touches auth, routing, Redis and the problem+json writer, and each type's validator. */
    private void prime(ApiFunction.Wiring w) {
        if (w.owned() == null) {
            return;
        }
        for (JobType type : w.owned().registry().all()) {
            type.validate(Json.MAPPER.createObjectNode());
        }
        String key = firstApiKey(w.env().get("JOBS_API_KEYS"));
        if (key == null) {
            LOG.warn("snapshot: no API key configured, the request path is not primed");
            return;
        }
        String id = JobIds.newId(System.currentTimeMillis());
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRawPath(function.primingPath(id));
        e.setHeaders(Map.of("authorization", "Bearer " + key, "accept", "application/json"));
        var ctx = new APIGatewayV2HTTPEvent.RequestContext();
        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("GET");
        ctx.setHttp(http);
        ctx.setRequestId("snapstart-priming");
        e.setRequestContext(ctx);
        // Through the stream entry point Lambda calls, so the event reader and response writer are warm too.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(e)), out, null);
            primedStatus = Json.MAPPER.readTree(out.toByteArray()).path("statusCode").asInt();
        } catch (IOException | RuntimeException ex) {
            // Still snapshot: a failed priming costs warmth, not correctness.
            LOG.warn("snapshot: priming request failed: {}", ex.toString());
            return;
        }
        if (primedStatus != 404) {
            LOG.warn("snapshot: priming request answered {} (expected 404)", primedStatus);
        }
    }

    int primedStatus() {
        return primedStatus;
    }

    /** The first key of {@code tenant=key,...}; never logged. */
    static String firstApiKey(String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        String first = spec.split(",", 2)[0];
        int eq = first.indexOf('=');
        return eq < 0 ? null : first.substring(eq + 1).trim();
    }
}
