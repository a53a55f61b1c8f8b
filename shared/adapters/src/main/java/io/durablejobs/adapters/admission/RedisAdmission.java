package io.durablejobs.adapters.admission;

import io.durablejobs.adapters.redis.RedisSync;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisScript;
import io.durablejobs.core.admission.Admission;
import io.durablejobs.core.admission.AdmissionDecision;
import io.durablejobs.core.admission.RateLimit;
import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;

/**
 * GCRA rate limits in Redis: the tenant's and the global one in one Lua call. Written here rather than
 * with bucket4j because bucket4j checks one bucket per call; two limits that must both pass (and neither
 * be charged on rejection) would cost two round trips and could charge one without the other. All
 * admission keys share one hash tag so the script stays in one slot on a cluster.
 */
public final class RedisAdmission implements Admission {
    private static final RedisScript SCRIPT = RedisScript.fromResource("/io/durablejobs/adapters/redis/admission.lua");

    private final RedisSync redis;
    private final RateLimit tenant;
    private final RateLimit global;
    /** The script's fixed arguments and the global key, built once: every submit's admission passes them. */
    private final RedisKeys keys;
    private final String globalKey;
    private final String tenantInterval;
    private final String tenantBurst;
    private final String globalInterval;
    private final String globalBurst;

    public RedisAdmission(RedisSync redis, String namespace, RateLimit tenant, RateLimit global) {
        this.redis = redis;
        this.tenant = tenant;
        this.global = global;
        this.keys = new RedisKeys(namespace);
        this.globalKey = keys.admissionGlobal();
        this.tenantInterval = interval(tenant);
        this.tenantBurst = Integer.toString(tenant.burst());
        this.globalInterval = interval(global);
        this.globalBurst = Integer.toString(global.burst());
    }

    @Override
    public AdmissionDecision admit(String tenantName) {
        return admit(tenantName, 1);
    }

    /** A batch: charged once per job in the same single round trip, granted as many as the quota holds. */
    @Override
    public AdmissionDecision admit(String tenantName, int jobs) {
        if (tenant.unlimited() && global.unlimited()) {
            return new AdmissionDecision.Admitted(Long.MAX_VALUE, Duration.ZERO, Math.max(1, jobs));
        }
        List<Object> r;
        try {
            r = SCRIPT.run(redis, ScriptOutputType.MULTI,
                    new String[] {keys.admissionTenant(tenantName), globalKey},
                    tenantInterval, tenantBurst, globalInterval, globalBurst, Integer.toString(Math.max(1, jobs)));
        } catch (RedisException e) {
            throw new StoreUnavailableException("redis: " + e.getMessage(), e);
        }
        String verdict = String.valueOf(r.get(0));
        long retry = ((Number) r.get(1)).longValue();
        return switch (verdict) {
            case "tenant" -> new AdmissionDecision.Rejected(AdmissionDecision.Scope.TENANT, Duration.ofMillis(retry));
            case "global" -> new AdmissionDecision.Rejected(AdmissionDecision.Scope.GLOBAL, Duration.ofMillis(retry));
            default -> new AdmissionDecision.Admitted(((Number) r.get(2)).longValue(), Duration.ofMillis(((Number) r.get(3)).longValue()),
                    ((Number) r.get(4)).intValue());
        };
    }

    @Override
    public RateLimit tenantLimit() {
        return tenant;
    }

    private static String interval(RateLimit l) {
        return l.unlimited() ? "0" : Double.toString(1000.0 / l.perSecond());
    }
}
