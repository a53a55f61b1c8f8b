package io.durablejobs.adapters.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.schedule.JobTemplate;
import io.durablejobs.core.schedule.MissedTickPolicy;
import io.durablejobs.core.schedule.OverlapPolicy;
import io.durablejobs.core.schedule.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The schedule store against a standalone Redis and a Redis Cluster: every script's keys in one slot, nothing expires. */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisScheduleStoreIT {
    static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");

    @Parameter
    RedisTarget target;
    static TestServers servers;
    static RedisScheduleStore store;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("sched", target);
        store = new RedisScheduleStore(servers.redis().commands(), new RedisKeys(servers.namespace()));
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @AfterEach
    void deleteAll() {
        for (String tenant : new String[] {"acme", "other"}) {
            store.list(tenant).forEach(s -> store.delete(tenant, s.id()));
        }
    }

    static Schedule schedule(String tenant, Instant next) {
        return new Schedule(JobIds.newId(T0.toEpochMilli()), tenant, "0 * * * *", ZoneId.of("Europe/Berlin"),
                new JobTemplate("example.hello", Json.MAPPER.createObjectNode().put("name", "x"), 4), OverlapPolicy.SKIP,
                MissedTickPolicy.RUN_ONCE, false, T0, next, null, null);
    }

    @Test
    void create_respectsTheTenantLimit_andRecordsNeverExpire() {
        Schedule a = schedule("acme", T0.plusSeconds(3600));
        assertThat(store.create(a, 2)).isTrue();
        assertThat(store.create(schedule("acme", T0.plusSeconds(3600)), 2)).isTrue();
        assertThat(store.create(schedule("acme", T0.plusSeconds(3600)), 2)).isFalse();
        assertThat(store.create(schedule("other", T0.plusSeconds(3600)), 2)).as("another tenant's count").isTrue();
        assertThat(store.list("acme")).hasSize(2);
        var keys = new RedisKeys(servers.namespace());
        assertThat(servers.redis().commands().pttl(keys.schedule(a.id()))).isEqualTo(-1L);
        assertThat(servers.redis().commands().pttl(keys.schedulesDue())).isEqualTo(-1L);
        Schedule read = store.find("acme", a.id()).orElseThrow();
        assertThat(read).isEqualTo(a);
    }

    @Test
    void anotherTenant_cannotSeeDeleteOrPause() {
        Schedule a = schedule("acme", T0);
        store.create(a, 10);
        assertThat(store.find("other", a.id())).isEmpty();
        assertThat(store.delete("other", a.id())).isFalse();
        assertThat(store.setPaused("other", a.id(), true, T0)).isFalse();
        assertThat(store.find("acme", a.id())).isPresent();
    }

    @Test
    void due_listsUnpausedSchedulesWhoseTickHasCome() {
        Schedule early = schedule("acme", T0.minusSeconds(60));
        Schedule now = schedule("acme", T0);
        Schedule later = schedule("acme", T0.plusSeconds(60));
        Schedule paused = schedule("acme", T0.minusSeconds(120));
        for (Schedule s : new Schedule[] {early, now, later, paused}) {
            store.create(s, 10);
        }
        store.setPaused("acme", paused.id(), true, paused.nextRunAt());
        assertThat(store.due(T0, 10)).extracting(Schedule::id).containsExactly(early.id(), now.id());
        store.setPaused("acme", paused.id(), false, T0.minusSeconds(1));
        assertThat(store.due(T0, 10)).extracting(Schedule::id).containsExactly(early.id(), paused.id(), now.id());
        assertThat(store.due(T0, 1)).hasSize(1);
    }

    @Test
    void advance_isACompareAndSetOnTheTickItWasReadAt() {
        Schedule s = schedule("acme", T0);
        store.create(s, 10);
        String job = JobIds.newId(T0.toEpochMilli());
        assertThat(store.advance(s.id(), T0, T0.plusSeconds(3600), T0, job)).isTrue();
        assertThat(store.advance(s.id(), T0, T0.plusSeconds(3600), T0, JobIds.newId(T0.toEpochMilli()))).as("a second instance").isFalse();
        Schedule after = store.find("acme", s.id()).orElseThrow();
        assertThat(after.nextRunAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(after.lastTickAt()).isEqualTo(T0);
        assertThat(after.lastJobId()).isEqualTo(job);
        assertThat(store.due(T0.plusSeconds(3599), 10)).isEmpty();
        store.delete("acme", s.id());
        assertThat(store.advance(s.id(), T0.plusSeconds(3600), T0.plusSeconds(7200), T0, job)).as("deleted").isFalse();
        assertThat(store.due(T0.plusSeconds(7200), 10)).isEmpty();
    }
}
