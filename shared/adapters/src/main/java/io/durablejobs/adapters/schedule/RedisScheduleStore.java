package io.durablejobs.adapters.schedule;

import io.durablejobs.adapters.redis.RedisSync;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisScript;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.StoreUnavailableException;
import io.durablejobs.core.schedule.JobTemplate;
import io.durablejobs.core.schedule.MissedTickPolicy;
import io.durablejobs.core.schedule.OverlapPolicy;
import io.durablejobs.core.schedule.Schedule;
import io.durablejobs.core.schedule.ScheduleStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Schedules as Redis hashes ({@code def}: the immutable definition as JSON; {@code paused}, {@code next},
 * {@code lastTick}, {@code lastJob}: the moving parts), a set of ids per tenant and a sorted set of due
 * times, all in one slot (see {@link RedisKeys#schedule}) and changed together by Lua.
 */
public final class RedisScheduleStore implements ScheduleStore {
    private static final String DIR = "/io/durablejobs/adapters/redis/";
    private static final RedisScript CREATE = RedisScript.fromResource(DIR + "sched_create.lua");
    private static final RedisScript DELETE = RedisScript.fromResource(DIR + "sched_delete.lua");
    private static final RedisScript PAUSE = RedisScript.fromResource(DIR + "sched_pause.lua");
    private static final RedisScript ADVANCE = RedisScript.fromResource(DIR + "sched_advance.lua");

    private final RedisSync redis;
    private final RedisKeys keys;

    public RedisScheduleStore(RedisSync redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public boolean create(Schedule s, int maxPerTenant) {
        Long r = call(() -> CREATE.run(redis, ScriptOutputType.INTEGER,
                new String[] {keys.schedule(s.id()), keys.tenantSchedules(s.tenant()), keys.schedulesDue()},
                s.id(), s.tenant(), definition(s).toString(), millis(s.nextRunAt()), Integer.toString(maxPerTenant)));
        return r == 1L;
    }

    @Override
    public Optional<Schedule> find(String tenant, String id) {
        return load(id).filter(s -> s.tenant().equals(tenant));
    }

    @Override
    public List<Schedule> list(String tenant) {
        List<Schedule> out = new ArrayList<>();
        for (String id : call(() -> redis.smembers(keys.tenantSchedules(tenant)))) {
            load(id).filter(s -> s.tenant().equals(tenant)).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Schedule::createdAt).thenComparing(Schedule::id));
        return out;
    }

    @Override
    public boolean delete(String tenant, String id) {
        Long r = call(() -> DELETE.run(redis, ScriptOutputType.INTEGER,
                new String[] {keys.schedule(id), keys.tenantSchedules(tenant), keys.schedulesDue()}, id, tenant));
        return r == 1L;
    }

    @Override
    public boolean setPaused(String tenant, String id, boolean paused, Instant nextRunAt) {
        Long r = call(() -> PAUSE.run(redis, ScriptOutputType.INTEGER, new String[] {keys.schedule(id), keys.schedulesDue()},
                id, tenant, paused ? "1" : "0", millis(nextRunAt)));
        return r == 1L;
    }

    @Override
    public List<Schedule> due(Instant now, int limit) {
        List<String> ids = call(() -> redis.zrangebyscore(keys.schedulesDue(), Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()),
                Limit.create(0, limit)));
        List<Schedule> out = new ArrayList<>();
        for (String id : ids) {
            load(id).filter(s -> !s.paused() && s.nextRunAt() != null).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public boolean advance(String id, Instant expectedNextRunAt, Instant nextRunAt, Instant tickAt, String jobId) {
        Long r = call(() -> ADVANCE.run(redis, ScriptOutputType.INTEGER, new String[] {keys.schedule(id), keys.schedulesDue()},
                id, millis(expectedNextRunAt), millis(nextRunAt), millis(tickAt), jobId == null ? "" : jobId));
        return r == 1L;
    }

    private Optional<Schedule> load(String id) {
        Map<String, String> h = call(() -> redis.hgetall(keys.schedule(id)));
        if (h == null || h.isEmpty() || h.get("def") == null) {
            return Optional.empty();
        }
        JsonNode d;
        try {
            d = Json.MAPPER.readTree(h.get("def"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable schedule " + id, e);
        }
        JsonNode job = d.path("job");
        return Optional.of(new Schedule(id, h.get("tenant"), d.path("cron").asText(), ZoneId.of(d.path("timeZone").asText()),
                new JobTemplate(job.path("type").asText(), job.path("payload"), job.path("priority").asInt()),
                OverlapPolicy.fromWire(d.path("overlap").asText()).orElseThrow(),
                MissedTickPolicy.fromWire(d.path("missedTicks").asText()).orElseThrow(),
                "1".equals(h.get("paused")), Instant.parse(d.path("createdAt").asText()),
                instant(h.get("next")), instant(h.get("lastTick")), blankToNull(h.get("lastJob"))));
    }

    private static ObjectNode definition(Schedule s) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("cron", s.cron());
        d.put("timeZone", s.timeZone().getId());
        ObjectNode job = d.putObject("job");
        job.put("type", s.job().type());
        job.set("payload", s.job().payload());
        job.put("priority", s.job().priority());
        d.put("overlap", s.overlap().wire());
        d.put("missedTicks", s.missed().wire());
        d.put("createdAt", s.createdAt().toString());
        return d;
    }

    private static String millis(Instant t) {
        return t == null ? "" : Long.toString(t.toEpochMilli());
    }

    private static Instant instant(String ms) {
        return ms == null || ms.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(ms));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("redis: " + e.getMessage(), e);
        }
    }
}
