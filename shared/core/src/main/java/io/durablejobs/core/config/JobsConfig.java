package io.durablejobs.core.config;

import io.durablejobs.core.api.ApiKeys;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The platform settings every function shares: where the broker and Redis are, the namespace, the API
 * keys, the topology's shape and the TTLs of what is kept in Redis. The README's configuration table lists
 * the same names and defaults.
 *
 * <p>A module's own settings are records of their own beside it ({@code AdmissionSettings},
 * {@code WorkerSettings}, {@code ScheduleSettings}, a job type's settings, ...), each read through the same
 * {@link Settings} as this one, so a function's start reports every bad setting in one message.
 *
 * @param ledgerTtl how long ledger counters live after their last change ({@code JOBS_LEDGER_TTL}, 400d)
 */
public record JobsConfig(
        String namespace,
        String rabbitmqUri,
        String redisUri,
        boolean redisCluster,
        ApiKeys apiKeys,
        QueueType queueType,
        int deliveryLimit,
        int maxDeliveries,
        RetryTiers retryTiers,
        Map<String, Integer> shards,
        int maxBodyBytes,
        Duration publishConfirmTimeout,
        Duration statusTtl,
        Duration idempotencyTtl,
        Duration idempotencyLease,
        Duration handlerSafetyMargin,
        Duration ledgerTtl,
        KeyStore tlsTrustStore) {

    public static final String DEFAULT_RABBITMQ_URI = "amqp://guest:guest@127.0.0.1:5672/%2f";
    public static final String DEFAULT_REDIS_URI = "redis://127.0.0.1:6379";
    private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,39}$");

    /** Every setting at its default. */
    public static final JobsConfig DEFAULTS = from(Map.of());

    /** From the process's environment: for command-line entry points; functions are handed theirs. */
    public static JobsConfig fromEnv() {
        return from(Env.current());
    }

    /** Reads and checks: a {@link ConfigException} names every bad setting. */
    public static JobsConfig from(Map<String, String> env) {
        return Settings.readChecked(env, JobsConfig::read);
    }

    /** Reads into {@code s}, which collects the problems; the caller checks once it has read all its settings. */
    public static JobsConfig read(Settings s) {
        String namespace = s.get("JOBS_NAMESPACE", "jobs", v -> {
            if (!NAMESPACE.matcher(v).matches()) {
                throw new IllegalArgumentException("must match " + NAMESPACE.pattern());
            }
            return v;
        });
        String rabbit = s.get("JOBS_RABBITMQ_URI", DEFAULT_RABBITMQ_URI, v -> requireScheme(v, "amqp://", "amqps://"));
        String redis = s.get("JOBS_REDIS_URI", DEFAULT_REDIS_URI, v -> requireScheme(v, "redis://", "rediss://"));
        boolean cluster = s.bool("JOBS_REDIS_CLUSTER", false);
        ApiKeys keys = s.get("JOBS_API_KEYS", "", ApiKeys::parse);
        QueueType queueType = s.get("JOBS_QUEUE_TYPE", "quorum", QueueType::parse);
        int deliveryLimit = s.integer("JOBS_DELIVERY_LIMIT", 5, 1, 1000);
        int maxDeliveries = s.integer("JOBS_MAX_DELIVERIES", 5, 1, 1000);
        RetryTiers tiers = s.get("JOBS_RETRY_TIERS", "1s,5s,30s,2m,10m,1h",
                v -> new RetryTiers(Arrays.stream(v.split(",")).map(Durations::parse).toList()));
        Map<String, Integer> shards = s.get("JOBS_SHARDS", "", JobsConfig::parseShards);
        int maxBody = s.integer("JOBS_MAX_BODY_BYTES", 256 * 1024, 1024, 6 * 1024 * 1024);
        Duration confirm = s.duration("JOBS_PUBLISH_CONFIRM_TIMEOUT", "5s");
        Duration statusTtl = s.duration("JOBS_STATUS_TTL", "7d");
        Duration idemTtl = s.duration("JOBS_IDEMPOTENCY_TTL", "24h");
        Duration idemLease = s.duration("JOBS_IDEMPOTENCY_LEASE", "15s");
        Duration margin = s.duration("JOBS_HANDLER_SAFETY_MARGIN", "2s");
        // Counters are renewed on every change; a year and a bit outlives any job and still lets an abandoned
        // namespace's counters go.
        Duration ledgerTtl = s.duration("JOBS_LEDGER_TTL", "400d");
        // amqps:// and rediss:// always verify the peer's chain and host name; this only says whom to trust.
        String trustPassword = s.string("JOBS_TLS_TRUST_STORE_PASSWORD", null);
        KeyStore trustStore = s.get("JOBS_TLS_TRUST_STORE", null, v -> TrustStoreFile.load(v, trustPassword));
        return new JobsConfig(namespace, rabbit, redis, cluster, keys, queueType, deliveryLimit, maxDeliveries, tiers, shards, maxBody,
                confirm, statusTtl, idemTtl, idemLease, margin, ledgerTtl, trustStore);
    }

    /**
     * The broker topology these settings give the named job types: the one way it is built, by the functions,
     * the local host, the deploy-time export and the tests alike (shards included).
     */
    public Topology topology(Collection<String> jobTypes) {
        return new Topology(namespace, queueType, deliveryLimit, retryTiers, jobTypes, shards);
    }

    /** {@code webhook.deliver=4,image.transform=2}: a hot type spread over that many queues (and mappings). */
    static Map<String, Integer> parseShards(String spec) {
        Map<String, Integer> out = new TreeMap<>();
        if (spec == null || spec.isBlank()) {
            return Map.of();
        }
        for (String pair : spec.split(",")) {
            String[] kv = pair.trim().split("=");
            if (kv.length != 2 || !JobTypeRegistry.NAME.matcher(kv[0].trim()).matches()) {
                throw new IllegalArgumentException("expected type=count pairs separated by commas");
            }
            int n = Integer.parseInt(kv[1].trim());
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("a shard count must be 1 to 64");
            }
            out.put(kv[0].trim(), n);
        }
        return Map.copyOf(out);
    }

    private static String requireScheme(String uri, String... schemes) {
        for (String scheme : schemes) {
            if (uri.startsWith(scheme)) {
                return uri;
            }
        }
        throw new IllegalArgumentException("must start with " + String.join(" or ", schemes));
    }

    /** A copy in another namespace: tests and benchmarks run side by side on one broker and one Redis. */
    public JobsConfig withNamespace(String ns) {
        return new JobsConfig(ns, rabbitmqUri, redisUri, redisCluster, apiKeys, queueType, deliveryLimit, maxDeliveries, retryTiers,
                shards, maxBodyBytes, publishConfirmTimeout, statusTtl, idempotencyTtl, idempotencyLease, handlerSafetyMargin, ledgerTtl,
                tlsTrustStore);
    }

    @Override
    public String toString() {
        // Never print credentials or keys: URIs can carry passwords.
        return "JobsConfig[namespace=" + namespace + ", queueType=" + queueType.wire() + ", tenants="
                + apiKeys.tenantCount() + ", tiers=" + retryTiers.all() + "]";
    }
}
