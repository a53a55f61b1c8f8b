package io.durablejobs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's lifecycle calls end to end (delayed submit, list and paging, cancel, progress, schedules,
 * blobs, batch submit) through the local host over the real RabbitMQ and Redis, every exchange held to
 * api/openapi.json.
 */
class JobsClientLifecycleIT {
    static TestStack stack;
    static JobsClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.startWithHelloWorker();
        client = stack.client();
    }

    @AfterAll
    static void stop() {
        TestStack.closeAndCheckContract(stack);
    }

    static JsonNode json(String s) throws Exception {
        return JobsClient.JSON.readTree(s);
    }

    @Test
    void delayedJobs_areScheduled_listedNewestFirstAcrossPages_andCancelledBeforeTheyRun() throws Exception {
        String type = "webhook.deliver";
        Instant since = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JobAccepted a = client.submit(SubmitRequest.of(type, json(stack.webhook("/ok"))).withDelay(Duration.ofHours(1)));
            assertThat(a.status()).isEqualTo(JobStatus.SCHEDULED);
            assertThat(a.runAt()).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
            ids.add(a.jobId());
        }
        Instant at = Instant.now().plus(Duration.ofDays(2));
        JobAccepted later = client.submit(SubmitRequest.of(type, json(stack.webhook("/ok"))).withRunAt(at));
        assertThat(client.get(later.jobId()).runAt()).isEqualTo(at);
        ids.add(later.jobId());

        // One job a page: the iterator follows the cursors, newest first.
        JobQuery scheduled = JobQuery.ALL.withStatuses(JobStatus.SCHEDULED).withType(type).withCreatedAfter(since).withLimit(1);
        JobPage first = client.listJobs(scheduled);
        assertThat(first.items()).hasSizeLessThanOrEqualTo(1);
        assertThat(first.nextCursor()).isNotNull();
        List<String> listed = client.streamJobs(scheduled).map(Job::jobId).toList();
        assertThat(listed).containsExactlyElementsOf(ids.reversed());

        JobCancelled c = client.cancel(ids.get(0));
        assertThat(c.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(c.requestOnly()).isFalse();
        assertThat(client.cancel(ids.get(0)).status()).as("cancelling twice is harmless").isEqualTo(JobStatus.CANCELLED);
        assertThat(client.waitUntilFinal(ids.get(0), Duration.ofSeconds(5)).status()).isEqualTo(JobStatus.CANCELLED);
        for (String id : ids.subList(1, ids.size())) {
            client.cancel(id);
        }
        assertThat(client.streamJobs(JobQuery.ALL.withStatuses(JobStatus.CANCELLED).withCreatedAfter(since)).map(Job::jobId).toList())
                .containsAll(ids);
        assertThat(client.listJobs(scheduled.withLimit(100)).items()).extracting(Job::jobId).doesNotContainAnyElementsOf(ids);

        JobAccepted done = client.submit(type, json(stack.webhook("/ok")));
        client.waitUntilFinal(done.jobId(), Duration.ofSeconds(30));
        assertThatThrownBy(() -> client.cancel(done.jobId())).isInstanceOfSatisfying(ProblemException.ConflictException.class,
                e -> assertThat(e.type()).isEqualTo("/problems/job-finished"));
        assertThatThrownBy(() -> client.listJobs(JobQuery.ALL.withCursor("not-a-cursor")))
                .isInstanceOf(ProblemException.InvalidRequestException.class);
    }

    @Test
    void aRunningJob_reportsProgress_andACancelRequestStopsIt() throws Exception {
        JobAccepted quick = client.submit("example.hello", json("{\"name\":\"Ada\",\"steps\":50}"));
        List<Job> seen = new CopyOnWriteArrayList<>();
        Job done = client.waitUntilFinal(quick.jobId(), Duration.ofSeconds(60), seen::add);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(seen).as("progress while it ran").anySatisfy(j -> {
            assertThat(j.progress()).isNotNull();
            assertThat(j.progress().message()).startsWith("step ");
        });

        JobAccepted slow = client.submit("example.hello", json("{\"name\":\"Ada\",\"steps\":100}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get(slow.jobId()).progress() != null);
        JobCancelled c = client.cancel(slow.jobId());
        assertThat(c.requestOnly()).as("running: only asked to stop").isTrue();
        assertThat(client.waitUntilFinal(slow.jobId(), Duration.ofSeconds(30)).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void schedules_areCreated_listed_paused_resumed_andDeleted() throws Exception {
        ScheduleRequest r = ScheduleRequest.of("0 9 * * 1-5", "webhook.deliver", json(stack.webhook("/ok"))).withTimeZone("Europe/Berlin")
                .withPriority(6).withOverlap(Schedule.Overlap.ALLOW).withMissedTicks(Schedule.MissedTicks.SKIP);
        Schedule s = client.createSchedule(r);
        assertThat(s.status()).isEqualTo(Schedule.Status.ACTIVE);
        assertThat(s.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(s.job().priority()).isEqualTo(6);
        assertThat(s.overlap()).isEqualTo(Schedule.Overlap.ALLOW);
        assertThat(s.missedTicks()).isEqualTo(Schedule.MissedTicks.SKIP);
        assertThat(s.nextRunAt()).isAfter(Instant.now());

        assertThat(client.listSchedules()).extracting(Schedule::scheduleId).contains(s.scheduleId());
        assertThat(client.getSchedule(s.scheduleId()).cron()).isEqualTo("0 9 * * 1-5");
        Schedule paused = client.pauseSchedule(s.scheduleId());
        assertThat(paused.status()).isEqualTo(Schedule.Status.PAUSED);
        assertThat(paused.nextRunAt()).isNull();
        assertThat(client.resumeSchedule(s.scheduleId()).status()).isEqualTo(Schedule.Status.ACTIVE);
        client.deleteSchedule(s.scheduleId());
        assertThatThrownBy(() -> client.getSchedule(s.scheduleId())).isInstanceOf(ProblemException.NotFoundException.class);

        assertThatThrownBy(() -> client.createSchedule(ScheduleRequest.of("61 * * * *", "webhook.deliver", json(stack.webhook("/ok")))))
                .isInstanceOfSatisfying(ProblemException.InvalidRequestException.class,
                        e -> assertThat(e.problem().errors()).extracting(Problem.FieldError::field).contains("cron"));
    }

    @Test
    void blobs_areUploaded_replaced_readBack_andKeptToTheirTenant() throws Exception {
        String key = "charts/" + UUID.randomUUID() + "/q1.png";
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 1, 2, 3};
        BlobStored stored = client.putBlob(key, png, "image/png");
        assertThat(stored.created()).isTrue();
        assertThat(stored.bytes()).isEqualTo(png.length);
        assertThat(stored.contentType()).isEqualTo("image/png");
        assertThat(client.putBlob(key, png, "image/png").created()).as("a second PUT replaces").isFalse();

        Blob b = client.getBlob(key);
        assertThat(b.content()).isEqualTo(png);
        assertThat(b.contentType()).startsWith("image/png");

        client.putBlob("notes/a b.txt".replace(" ", "_"), "hello".getBytes(StandardCharsets.UTF_8), null);
        assertThat(client.getBlob("notes/a_b.txt").contentType()).startsWith("application/octet-stream");

        assertThatThrownBy(() -> client.putBlob("jobs/x/out.png", png, "image/png")).isInstanceOf(ProblemException.InvalidRequestException.class);
        JobsClient other = JobsClient.builder().baseUrl(stack.url()).apiKey(stack.otherKey).build();
        assertThatThrownBy(() -> other.getBlob(key)).isInstanceOf(ProblemException.NotFoundException.class);
    }

    @Test
    void aBatch_acceptsTheValidJobs_rejectsTheInvalidOneByIndex_andARetryWithTheSameKeysMakesNoSecondJob() throws Exception {
        Assumptions.assumeTrue(TestStack.described("/v1/jobs/batch"), "POST /v1/jobs/batch is not in api/openapi.json on this branch yet");
        List<SubmitRequest> jobs = List.of(
                SubmitRequest.of("webhook.deliver", json(stack.webhook("/ok"))).withIdempotencyKey("batch-" + UUID.randomUUID()),
                SubmitRequest.of("webhook.deliver", json("{\"body\":{}}")),
                SubmitRequest.of("example.hello", json("{\"name\":\"Ada\"}")).withDelay(Duration.ofMinutes(30)));
        BatchResult r = client.submitBatch(jobs);
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.results()).extracting(BatchResult.Item::status).containsExactly(BatchResult.ItemStatus.ACCEPTED,
                BatchResult.ItemStatus.REJECTED, BatchResult.ItemStatus.ACCEPTED);
        BatchResult.Item bad = r.results().get(1);
        assertThat(bad.problem().status()).isEqualTo(400);
        assertThat(bad.problem().errors()).extracting(Problem.FieldError::field).contains("jobs[1].payload.url");
        assertThat(r.results().get(2).jobStatus()).isEqualTo(JobStatus.SCHEDULED);
        // A first job of the run may wait for the worker environment to start cold: generous on a loaded machine.
        assertThat(client.waitUntilFinal(r.results().get(0).jobId(), Duration.ofSeconds(90)).status()).isEqualTo(JobStatus.SUCCEEDED);

        // The same requests with the keys the client used: nothing new is made.
        List<SubmitRequest> again = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            again.add(jobs.get(i).withIdempotencyKey(r.results().get(i).idempotencyKey()));
        }
        BatchResult replay = client.submitBatch(again);
        assertThat(replay.replayed()).isEqualTo(2);
        assertThat(replay.accepted()).isZero();
        assertThat(replay.results().get(0).jobId()).isEqualTo(r.results().get(0).jobId());
        assertThat(replay.results().get(2).jobId()).isEqualTo(r.results().get(2).jobId());
        client.cancel(r.results().get(2).jobId());
    }
}
