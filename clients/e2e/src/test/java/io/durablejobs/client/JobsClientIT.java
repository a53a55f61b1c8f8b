package io.durablejobs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.contract.ContractProxy;
import io.durablejobs.contract.Exchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client end to end: through the local host over the real RabbitMQ and Redis, every exchange held to api/openapi.json. */
class JobsClientIT {
    static TestStack stack;
    static JobsClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
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
    void submit_thenWaitUntilFinal_succeeds_reportsProgress_andTheLedgerCountsIt() throws Exception {
        JobAccepted a = client.submit(SubmitRequest.of("webhook.deliver", json(stack.webhook("/ok"))).withPriority(7));
        assertThat(a.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(a.idempotencyKey()).as("a key is made when none is given").isNotBlank();
        assertThat(a.replayed()).isFalse();

        List<JobStatus> seen = new ArrayList<>();
        Job done = client.waitUntilFinal(a.jobId(), Duration.ofSeconds(30), j -> seen.add(j.status()));
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.result().get("statusCode").asInt()).isEqualTo(204);
        assertThat(seen).isNotEmpty().last().isEqualTo(JobStatus.SUCCEEDED);

        Stats stats = client.stats();
        assertThat(stats.succeeded()).isPositive();
        assertThat(stats.accepted()).isEqualTo(stats.succeeded() + stats.deadLettered() + stats.inFlight());
        assertThat(stats.types()).containsKey("webhook.deliver");
    }

    @Test
    void theSameIdempotencyKey_makesOneJob_andTheSecondAnswerSaysReplayed() throws Exception {
        String key = "order-" + UUID.randomUUID();
        SubmitRequest r = SubmitRequest.of("webhook.deliver", json(stack.webhook("/ok"))).withIdempotencyKey(key);
        JobAccepted first = client.submit(r);
        JobAccepted again = client.submit(r);
        assertThat(again.jobId()).isEqualTo(first.jobId());
        assertThat(again.replayed()).isTrue();
        assertThat(again.idempotencyKey()).isEqualTo(key);

        assertThatThrownBy(() -> client.submit(SubmitRequest.of("webhook.deliver", json(stack.webhook("/other"))).withIdempotencyKey(key)))
                .isInstanceOf(ProblemException.IdempotencyKeyReusedException.class)
                .satisfies(e -> assertThat(((ProblemException) e).type()).isEqualTo("/problems/idempotency-key-reused"));
    }

    @Test
    void anInvalidPayload_isAnInvalidRequest_namingTheField() {
        assertThatThrownBy(() -> client.submit("webhook.deliver", Map.of("body", "no url")))
                .isInstanceOfSatisfying(ProblemException.InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("/problems/validation");
                    assertThat(e.problem().errors()).extracting(Problem.FieldError::field).contains("payload.url");
                });
        assertThatThrownBy(() -> client.submit("no.such.type", Map.of()))
                .isInstanceOf(ProblemException.InvalidRequestException.class).hasMessageContaining("unknown job type");
    }

    @Test
    void anUnknownJob_isNotFound_andAnotherTenantsJob_too_andABadKeyIsUnauthorized() throws Exception {
        assertThatThrownBy(() -> client.get("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")).isInstanceOf(ProblemException.NotFoundException.class);
        JobAccepted mine = client.submit("webhook.deliver", json(stack.webhook("/ok")));
        JobsClient other = JobsClient.builder().baseUrl(stack.url()).apiKey(stack.otherKey).build();
        assertThatThrownBy(() -> other.get(mine.jobId())).isInstanceOf(ProblemException.NotFoundException.class);
        JobsClient stranger = JobsClient.builder().baseUrl(stack.url()).apiKey("not-a-key-of-anyone").build();
        assertThatThrownBy(stranger::stats).isInstanceOfSatisfying(ProblemException.UnauthorizedException.class,
                e -> assertThat(e.problem().title()).isEqualTo("Unauthorized"));
    }

    @Test
    void aDeadLetter_isListed_shown_replayed_andDiscarded() throws Exception {
        String type = "webhook.deliver";
        JobAccepted a = client.submit(type, json(stack.webhook("/gone")));
        assertThat(client.waitUntilFinal(a.jobId(), Duration.ofSeconds(30)).status()).isEqualTo(JobStatus.DEAD_LETTERED);

        // The DLQ consumer records it from the dead-letter queue, a moment after the job reads dead_lettered.
        await().atMost(Duration.ofSeconds(30)).until(() -> client.deadLetters(DeadLetterQuery.ALL.withType(type).withLimit(100)).items()
                .stream().anyMatch(d -> d.jobId().equals(a.jobId())));
        DeadLetter d = client.deadLetter(a.jobId());
        assertThat(d.state()).isEqualTo("dead");
        assertThat(d.payload().get("url").asText()).endsWith("/gone");
        assertThat(d.history()).isNotEmpty();

        Replayed r = client.replay(a.jobId());
        assertThat(r.jobId()).isEqualTo(a.jobId());
        assertThat(r.generation()).isEqualTo(1);
        // /gone answers 410 again: dead once more, with the first death kept as lineage.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                DeadLetter again = client.deadLetter(a.jobId());
                return again.generation() == 1 && again.state().equals("dead");
            } catch (ProblemException.NotFoundException e) {
                return false;
            }
        });
        assertThat(client.deadLetter(a.jobId()).previous()).hasSize(1);

        BulkReplayResult dry = client.replayAll(new ReplayFilter(type, null, null, null).asDryRun());
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.matched()).isPositive();

        client.discard(a.jobId());
        assertThatThrownBy(() -> client.deadLetter(a.jobId())).isInstanceOf(ProblemException.NotFoundException.class);
        assertThatThrownBy(() -> client.replay(a.jobId())).isInstanceOf(ProblemException.class);
    }

    @Test
    void overTheTenantsRate_submitsAreRetriedWithTheSameKey_honouringRetryAfter_andAllAccepted() throws Exception {
        try (TestStack limited = TestStack.start(Map.of("JOBS_RATE_TENANT_PER_SECOND", "1", "JOBS_RATE_TENANT_BURST", "1"))) {
            JobsClient c = limited.client();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(c.submit("webhook.deliver", json(limited.webhook("/ok"))).jobId());
            }
            assertThat(ids).doesNotHaveDuplicates().hasSize(3);
            List<Exchange> submits = limited.contract.exchanges().stream().filter(e -> e.path().equals("/v1/jobs")).toList();
            List<Exchange> limitedOnes = submits.stream().filter(e -> e.status() == 429).toList();
            assertThat(limitedOnes).as("the host rate-limited some submits").isNotEmpty();
            for (Exchange e : limitedOnes) {
                assertThat(e.responseHeaders().get("Retry-After")).isNotEmpty();
                String key = e.requestHeaders().get("Idempotency-Key").get(0);
                assertThat(submits).as("the retry of " + key + " carried the same key and was accepted")
                        .anyMatch(x -> x.status() == 202 && x.requestHeaders().get("Idempotency-Key").get(0).equals(key));
            }
            limited.contract.assertKept();
        }
    }
}
