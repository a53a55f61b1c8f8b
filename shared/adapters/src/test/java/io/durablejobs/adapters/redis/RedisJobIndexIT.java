package io.durablejobs.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.port.JobIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The tenant's listing on the real Redis (standalone and cluster): order, ties, cursor, time range, trimming, TTL. */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisJobIndexIT {
    @Parameter
    RedisTarget target;
    static TestServers servers;
    static RedisJobIndex index;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("index", target);
        index = new RedisJobIndex(servers.redis().commands(), servers.namespace(), Clock.systemUTC());
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    static String tenant() {
        return "t-" + System.nanoTime();
    }

    @Test
    void pages_newestFirst_tiesByIdDescending_andACursorResumesExactly() {
        String tenant = tenant();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<JobIndex.Entry> all = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Instant at = now.minusSeconds(i / 3); // three jobs per millisecond value: ties
            JobIndex.Entry e = new JobIndex.Entry(JobIds.newId(at.toEpochMilli()), at);
            index.add(tenant, e.jobId(), e.createdAt(), Duration.ofDays(1));
            all.add(e);
        }
        all.sort(java.util.Comparator.comparing(JobIndex.Entry::createdAt).thenComparing(JobIndex.Entry::jobId).reversed());
        List<JobIndex.Entry> seen = new ArrayList<>();
        JobIndex.Entry after = null;
        for (int page = 0; page < 10; page++) {
            List<JobIndex.Entry> p = index.page(tenant, after, null, null, 2);
            if (p.isEmpty()) {
                break;
            }
            seen.addAll(p);
            after = p.get(p.size() - 1);
        }
        assertThat(seen).containsExactlyElementsOf(all);
        assertThat(index.page(tenant, null, now.minusSeconds(1), now.minusSeconds(1), 10)).hasSize(3)
                .allSatisfy(e -> assertThat(e.createdAt()).isEqualTo(now.minusSeconds(1)));
        assertThat(index.page("nobody-" + tenant, null, null, null, 10)).isEmpty();
    }

    @Test
    void entriesOlderThanTheRetention_areTrimmedOnTheNextAdd_andTheKeyExpires() {
        String tenant = tenant();
        Instant now = Instant.now();
        index.add(tenant, JobIds.newId(now.minusSeconds(7200).toEpochMilli()), now.minusSeconds(7200), Duration.ofHours(1));
        String fresh = JobIds.newId(now.toEpochMilli());
        index.add(tenant, fresh, now, Duration.ofHours(1));
        assertThat(index.page(tenant, null, null, null, 10)).extracting(JobIndex.Entry::jobId).containsExactly(fresh);
        long ttl = servers.redis().commands().pttl(index.key(tenant));
        assertThat(ttl).isBetween(1L, Duration.ofHours(1).toMillis());
    }
}
