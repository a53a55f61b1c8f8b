package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.testing.InMemoryJobIndex;
import io.durablejobs.core.testing.InMemoryJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /v1/jobs: newest first, filters, cursor paging that visits every job once, bounded work, and 400s naming the parameter. */
class JobListingTest {
    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final InMemoryJobIndex index = new InMemoryJobIndex();
    final JobListing listing = new JobListing(index, store);
    final Instant t0 = Instant.parse("2026-11-30T00:00:00Z");
    final List<String> ids = new ArrayList<>();

    void job(String tenant, String type, JobStatus status, int secondsAfterT0) {
        Instant at = t0.plusSeconds(secondsAfterT0);
        String id = JobIds.newId(at.toEpochMilli());
        store.create(new JobRecord(id, tenant, type, status, 0, at, at, null, null), Duration.ofDays(1));
        index.add(tenant, id, at, Duration.ofDays(7));
        ids.add(id);
    }

    JsonNode list(String... kv) throws Exception {
        ApiResponse r = listing.list(query(kv), "t1");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    static Map<String, String> query(String... kv) {
        Map<String, String> q = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            q.put(kv[i], kv[i + 1]);
        }
        return q;
    }

    static List<String> jobIds(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(j -> out.add(j.get("jobId").asText()));
        return out;
    }

    @Test
    void newestFirst_pagedByCursor_visitsEveryJobOnce_andOnlyTheTenants() throws Exception {
        for (int i = 0; i < 7; i++) {
            job("t1", "echo", JobStatus.QUEUED, i);
        }
        job("t2", "echo", JobStatus.QUEUED, 100);
        List<String> seen = new ArrayList<>();
        JsonNode page = list("limit", "3");
        seen.addAll(jobIds(page));
        while (!page.get("nextCursor").isNull()) {
            page = list("limit", "3", "cursor", page.get("nextCursor").asText());
            seen.addAll(jobIds(page));
        }
        List<String> expected = new ArrayList<>(ids.subList(0, 7));
        java.util.Collections.reverse(expected);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void filtersByStatusTypeAndTime() throws Exception {
        job("t1", "echo", JobStatus.SUCCEEDED, 1);
        job("t1", "echo", JobStatus.DEAD_LETTERED, 2);
        job("t1", "other", JobStatus.SUCCEEDED, 3);
        job("t1", "echo", JobStatus.SCHEDULED, 4);
        assertThat(jobIds(list("status", "succeeded"))).containsExactly(ids.get(2), ids.get(0));
        assertThat(jobIds(list("status", "succeeded,dead_lettered", "type", "echo"))).containsExactly(ids.get(1), ids.get(0));
        assertThat(jobIds(list("createdAfter", t0.plusSeconds(2).toString(), "createdBefore", "2026-11-30T00:00:03Z"))).containsExactly(ids.get(2), ids.get(1));
        assertThat(list("status", "scheduled").get("items").get(0).get("status").asText()).isEqualTo("scheduled");
    }

    @Test
    void aSelectiveFilter_readsABoundedNumberOfEntries_andHandsOnACursor() throws Exception {
        for (int i = 0; i < JobListing.MAX_EXAMINED + 50; i++) {
            job("t1", "echo", i == 0 ? JobStatus.DEAD_LETTERED : JobStatus.SUCCEEDED, i);
        }
        JsonNode first = list("status", "dead_lettered");
        assertThat(first.get("items")).isEmpty();
        assertThat(first.get("nextCursor").isNull()).as("more to look at").isFalse();
        JsonNode second = list("status", "dead_lettered", "cursor", first.get("nextCursor").asText());
        assertThat(jobIds(second)).containsExactly(ids.get(0));
        assertThat(second.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void badParameters_are400_namingEach() throws Exception {
        ApiResponse r = listing.list(query("status", "finished", "limit", "500", "cursor", "zzz", "createdAfter", "yesterday", "sort", "x"), "t1");
        assertThat(r.status()).isEqualTo(400);
        JsonNode body = Json.MAPPER.readTree(r.body());
        List<String> fields = new ArrayList<>();
        body.get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("status", "limit", "cursor", "createdAfter", "sort");
        assertThat(body.toString()).contains("scheduled", "cancelled");
    }
}
