package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.schedule.RedisScheduleStore;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.schedule.ScheduleSettings;
import io.durablejobs.core.schedule.ScheduleTicker;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.lambda.PlatformClients;
import io.durablejobs.lambda.SchedulerFunction;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recurring schedules through the local host (the real submit function from functions/functions.json)
 * against the real RabbitMQ and Redis, ticked by real scheduler function instances whose clock the test
 * sets, so "the minute" each instance runs in is exact. No worker runs, so a tick's job stays queued
 * (in flight) and the work queue's depth counts the jobs the ticks enqueued.
 */
class SchedulesIT {
    static final String ACME = "key-sched-acme-aaaaaaaaaaaa";
    static final String OTHER = "key-sched-other-aaaaaaaaaaa";
    static final String LIMITED = "key-sched-limited-aaaaaaaaa";
    static final String QUOTA = "key-sched-quota-aaaaaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int MAX_PER_TENANT = 2;

    static LocalHost host;
    /** Every exchange goes through it and is checked against api/openapi.json. */
    static io.durablejobs.contract.ContractProxy contract;
    static Map<String, String> env;
    static final List<PlatformClients> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + ACME + ",other=" + OTHER + ",limited=" + LIMITED + ",quota=" + QUOTA);
        env.put("JOBS_SCHEDULE_MIN_INTERVAL", "2m");
        env.put("JOBS_SCHEDULES_MAX_PER_TENANT", Integer.toString(MAX_PER_TENANT));
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit").withHttpPort(0));
        contract = io.durablejobs.contract.ContractProxy.start(host.apiUrl());
    }

    /**
     * Schedules never expire, and every scheduler run handles every due schedule of the namespace: each test
     * starts with none, so its counts are its own.
     */
    @AfterEach
    void deleteSchedules() {
        if (host == null) {
            return;
        }
        try (PlatformClients c = connect("it-cleanup")) {
            RedisScheduleStore store = new RedisScheduleStore(c.redis().commands(), new RedisKeys(host.namespace()));
            for (String tenant : List.of("acme", "other", "limited", "quota")) {
                store.list(tenant).forEach(s -> store.delete(tenant, s.id()));
            }
        }
    }

    @AfterAll
    static void stop() {
        clients.forEach(PlatformClients::close);
        if (host == null) {
            return; // the host did not start: that is the error reported
        }
        contract.close();
        host.close();
        ItSupport.deleteTopology(host.topology());
        contract.assertKept();
    }

    static PlatformClients connect(String name) {
        return PlatformClients.connect(new HashMap<>(host.env()), JobTypeRegistry.fromServiceLoader(), name);
    }

    /** A scheduler function instance whose clock reads {@code at}, with a 30 s grace for late ticks. */
    static SchedulerFunction scheduler(String name, Instant at) {
        PlatformClients c = connect(name);
        clients.add(c);
        Map<String, String> e = new HashMap<>(host.env());
        e.put("JOBS_SCHEDULE_MISSED_GRACE", "30s");
        return new SchedulerFunction(c, ScheduleSettings.from(e), Clock.fixed(at, ZoneOffset.UTC));
    }

    static Map<String, Object> tick(String name, Instant at) {
        return scheduler(name, at).handleRequest(Map.of("detail-type", "Scheduled Event"), null);
    }

    static HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(contract.url().resolve(path)).header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode create(String key, String cron, String overlap, String missed) throws Exception {
        HttpResponse<String> r = call("POST", "/v1/schedules", key, "{\"cron\":\"" + cron + "\",\"timeZone\":\"Europe/Berlin\","
                + "\"job\":{\"type\":\"example.hello\",\"payload\":{\"name\":\"cron\"}},\"overlap\":\"" + overlap + "\",\"missedTicks\":\"" + missed + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode get(String key, String id) throws Exception {
        HttpResponse<String> r = call("GET", "/v1/schedules/" + id, key, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    static long queued() throws Exception {
        return ItSupport.ready(host.topology(), host.topology().workQueuesOf("example.hello").get(0).name());
    }

    @Test
    void twoSchedulerInstances_tickingTheSameMinute_enqueueOneJob() throws Exception {
        JsonNode s = create(ACME, "*/2 * * * *", "allow", "run_once");
        Instant tick = Instant.parse(s.path("nextRunAt").asText());
        assertThat(tick.atZone(ZoneId.of("UTC")).getMinute() % 2).isZero();
        SchedulerFunction a = scheduler("scheduler-a", tick.plusSeconds(3));
        SchedulerFunction b = scheduler("scheduler-b", tick.plusSeconds(4));
        long before = queued();
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Map<String, Object>>> runs = new ArrayList<>();
            for (SchedulerFunction f : List.of(a, b)) {
                runs.add(pool.submit((Callable<Map<String, Object>>) () -> {
                    together.await();
                    return f.handleRequest(Map.of(), null);
                }));
            }
            for (Future<Map<String, Object>> r : runs) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // The loser either saw the tick's key completed (same job id) or still being accepted (it defers); either way one job.
        assertThat(queued() - before).isEqualTo(1);
        JsonNode after = get(ACME, s.path("scheduleId").asText());
        assertThat(after.path("lastRunAt").asText()).isEqualTo(tick.toString());
        assertThat(after.path("nextRunAt").asText()).isEqualTo(tick.plusSeconds(120).toString());
        HttpResponse<String> job = call("GET", "/v1/jobs/" + after.path("lastJobId").asText(), ACME, null);
        assertThat(job.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(job.body()).path("type").asText()).isEqualTo("example.hello");

        // A third instance late in the same minute: the tick is done, nothing more.
        tick("scheduler-c", tick.plusSeconds(20));
        assertThat(queued() - before).isEqualTo(1);
    }

    @Test
    void overlapSkip_passesATickWhileThePreviousJobIsInFlight_allowDoesNot() throws Exception {
        JsonNode skip = create(OTHER, "*/2 * * * *", "skip", "run_once");
        JsonNode allow = create(OTHER, "*/2 * * * *", "allow", "run_once");
        Instant t = Instant.parse(skip.path("nextRunAt").asText());
        long before = queued();
        Map<String, Object> first = tick("scheduler-1", t.plusSeconds(5));
        assertThat(first.get("enqueued")).isEqualTo(2);
        // Nothing consumes: both first jobs are still queued at the next tick.
        Map<String, Object> second = tick("scheduler-2", t.plusSeconds(125));
        assertThat(second.get("enqueued")).isEqualTo(1);
        assertThat(second.get("skippedOverlap")).isEqualTo(1);
        assertThat(queued() - before).isEqualTo(3);
        JsonNode s = get(OTHER, skip.path("scheduleId").asText());
        JsonNode a = get(OTHER, allow.path("scheduleId").asText());
        assertThat(s.path("lastRunAt").asText()).isEqualTo(t.toString());
        assertThat(a.path("lastRunAt").asText()).isEqualTo(t.plusSeconds(120).toString());
        assertThat(s.path("nextRunAt").asText()).isEqualTo(t.plusSeconds(240).toString());
    }

    @Test
    void missedTicks_runOnceRunsOneJobForAllOfThem_skipRunsNone() throws Exception {
        JsonNode once = create(LIMITED, "*/2 * * * *", "allow", "run_once");
        JsonNode skip = create(LIMITED, "*/2 * * * *", "allow", "skip");
        Instant t = Instant.parse(once.path("nextRunAt").asText());
        long before = queued();
        // The platform was down for six ticks: the scheduler next runs 45 s after the sixth (grace 30 s).
        Map<String, Object> r = tick("scheduler-late", t.plusSeconds(10 * 60 + 45));
        assertThat(r.get("enqueued")).isEqualTo(1);
        assertThat(r.get("skippedMissed")).isEqualTo(5 + 6);
        assertThat(queued() - before).isEqualTo(1);
        JsonNode o = get(LIMITED, once.path("scheduleId").asText());
        JsonNode s = get(LIMITED, skip.path("scheduleId").asText());
        assertThat(o.path("lastRunAt").asText()).isEqualTo(t.plusSeconds(600).toString());
        assertThat(s.has("lastRunAt")).isFalse();
        assertThat(o.path("nextRunAt").asText()).isEqualTo(t.plusSeconds(720).toString());
        assertThat(s.path("nextRunAt").asText()).isEqualTo(t.plusSeconds(720).toString());
        // Running again in the same minute changes nothing.
        tick("scheduler-late-2", t.plusSeconds(10 * 60 + 50));
        assertThat(queued() - before).isEqualTo(1);
    }

    @Test
    void anotherTenantsSchedule_is404_andNotListed() throws Exception {
        JsonNode s = create(ACME, "0 9 * * 1-5", "skip", "skip");
        String id = s.path("scheduleId").asText();
        for (String[] m : new String[][] {{"GET", ""}, {"DELETE", ""}, {"POST", "/pause"}, {"POST", "/resume"}}) {
            HttpResponse<String> r = call(m[0], "/v1/schedules/" + id + m[1], OTHER, null);
            assertThat(r.statusCode()).as(m[0] + m[1]).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        JsonNode list = Json.MAPPER.readTree(call("GET", "/v1/schedules", OTHER, null).body());
        list.path("schedules").forEach(x -> assertThat(x.path("scheduleId").asText()).isNotEqualTo(id));
        assertThat(get(ACME, id).path("status").asText()).isEqualTo("active");
    }

    @Test
    void pauseAndResume_stopAndRestartTicks_deleteRemoves() throws Exception {
        JsonNode s = create(ACME, "*/2 * * * *", "allow", "run_once");
        String id = s.path("scheduleId").asText();
        Instant t = Instant.parse(s.path("nextRunAt").asText());
        HttpResponse<String> paused = call("POST", "/v1/schedules/" + id + "/pause", ACME, null);
        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(paused.body()).path("status").asText()).isEqualTo("paused");
        long before = queued();
        tick("scheduler-paused", t.plusSeconds(5));
        assertThat(get(ACME, id).has("lastRunAt")).isFalse();
        HttpResponse<String> resumed = call("POST", "/v1/schedules/" + id + "/resume", ACME, null);
        assertThat(Json.MAPPER.readTree(resumed.body()).path("status").asText()).isEqualTo("active");
        assertThat(call("DELETE", "/v1/schedules/" + id, ACME, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/v1/schedules/" + id, ACME, null).statusCode()).isEqualTo(404);
        tick("scheduler-deleted", t.plusSeconds(5));
        assertThat(queued()).isEqualTo(before);
    }

    @Test
    void badInput_isProblemJsonWithFieldPaths() throws Exception {
        HttpResponse<String> r = call("POST", "/v1/schedules", ACME, "{\"cron\":\"61 * * * *\",\"timeZone\":\"Mars/Olympus\","
                + "\"job\":{\"type\":\"example.hello\",\"payload\":{}},\"overlap\":\"maybe\",\"missedTicks\":\"all\",\"extra\":1}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        List<String> fields = new ArrayList<>();
        Json.MAPPER.readTree(r.body()).path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).contains("cron", "timeZone", "overlap", "missedTicks", "job.payload.name", "extra");

        HttpResponse<String> unknownType = call("POST", "/v1/schedules", ACME,
                "{\"cron\":\"*/2 * * * *\",\"job\":{\"type\":\"no.such\",\"payload\":{}}}");
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(unknownType.body()).contains("job.type");

        // Ticks one minute apart, under the 2 minute minimum of this platform.
        HttpResponse<String> tooOften = call("POST", "/v1/schedules", ACME,
                "{\"cron\":\"0,1 * * * *\",\"job\":{\"type\":\"example.hello\",\"payload\":{\"name\":\"x\"}}}");
        assertThat(tooOften.statusCode()).isEqualTo(400);
        assertThat(tooOften.body()).contains("\"field\":\"cron\"").contains("shortest interval");
    }

    @Test
    void tenantLimit_refusesTheScheduleOverIt() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < MAX_PER_TENANT + 1; i++) {
            statuses.add(call("POST", "/v1/schedules", QUOTA,
                    "{\"cron\":\"0 3 * * *\",\"job\":{\"type\":\"example.hello\",\"payload\":{\"name\":\"q\"}}}").statusCode());
        }
        assertThat(statuses).containsExactly(201, 201, 409);
        assertThat(Json.MAPPER.readTree(call("GET", "/v1/schedules", QUOTA, null).body()).path("schedules").size()).isEqualTo(MAX_PER_TENANT);
    }
}
