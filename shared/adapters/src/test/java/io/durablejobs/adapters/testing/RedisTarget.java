package io.durablejobs.adapters.testing;

import io.durablejobs.adapters.redis.RedisSession;

/**
 * Which Redis a suite runs against: the machine's standalone server, or a local three-master cluster (as
 * ElastiCache Serverless always is). The Redis suites run once for each ({@code @ParameterizedClass}).
 */
public enum RedisTarget {
    STANDALONE, CLUSTER;

    public String uri() {
        return this == CLUSTER ? LocalRedisCluster.shared().uri() : TestServers.redisUri();
    }

    public RedisSession open() {
        return RedisSession.open(uri(), this == CLUSTER);
    }
}
