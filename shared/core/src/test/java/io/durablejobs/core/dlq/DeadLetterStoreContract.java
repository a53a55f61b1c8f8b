package io.durablejobs.core.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link DeadLetterStore} must do: run against the in-memory fake, the file store and S3. */
public abstract class DeadLetterStoreContract {
    protected final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    protected final String other = tenant + "-other";
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    protected abstract DeadLetterStore store();

    @Test
    void put_thenFind_roundTripsEveryField() {
        DeadLetter d = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        store().put(d);
        DeadLetter back = store().find(tenant, d.jobId()).orElseThrow();
        assertThat(back).isEqualTo(d);
        assertThat(back.history()).hasSize(2);
        assertThat(back.payload().get("url").asText()).isEqualTo("https://example.com/hook");
    }

    @Test
    void anotherTenant_seesNothing() {
        DeadLetter d = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        store().put(d);
        assertThat(store().find(other, d.jobId())).isEmpty();
        assertThat(store().list(DeadLetterQuery.of(other, 10)).items()).isEmpty();
        assertThat(store().delete(other, d.jobId())).isFalse();
        assertThat(store().find(tenant, d.jobId())).isPresent();
    }

    @Test
    void list_isNewestFirst_pagesWithACursor_andFiltersByTypeReasonAndTime() {
        List<DeadLetter> put = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DeadLetter d = DeadLetters.of(tenant, i % 2 == 0 ? "webhook.deliver" : "pdf.render", i < 3 ? "client_error" : "retries_exhausted",
                    T0.plusSeconds(i));
            store().put(d);
            put.add(d);
        }
        DeadLetterPage first = store().list(DeadLetterQuery.of(tenant, 2));
        assertThat(first.items()).extracting(DeadLetter::jobId).containsExactly(put.get(4).jobId(), put.get(3).jobId());
        assertThat(first.next()).isNotNull();
        DeadLetterCursor cursor = DeadLetterCursor.decode(first.next().encode());
        DeadLetterPage second = store().list(new DeadLetterQuery(tenant, null, null, null, 2, cursor));
        assertThat(second.items()).extracting(DeadLetter::jobId).containsExactly(put.get(2).jobId(), put.get(1).jobId());
        DeadLetterPage third = store().list(new DeadLetterQuery(tenant, null, null, null, 2, second.next()));
        assertThat(third.items()).extracting(DeadLetter::jobId).containsExactly(put.get(0).jobId());
        assertThat(third.next()).isNull();

        assertThat(store().list(new DeadLetterQuery(tenant, "pdf.render", null, null, 10, null)).items())
                .extracting(DeadLetter::jobId).containsExactly(put.get(3).jobId(), put.get(1).jobId());
        assertThat(store().list(new DeadLetterQuery(tenant, null, "retries_exhausted", null, 10, null)).items())
                .extracting(DeadLetter::jobId).containsExactly(put.get(4).jobId(), put.get(3).jobId());
        assertThat(store().list(new DeadLetterQuery(tenant, "webhook.deliver", null, T0.plusSeconds(4), 10, null)).items())
                .extracting(DeadLetter::jobId).containsExactly(put.get(2).jobId(), put.get(0).jobId());
    }

    @Test
    void aReplayedRecord_leavesTheListing_butIsKept() {
        DeadLetter d = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        store().put(d);
        store().put(d.replayed(new DeadLetter.Replay(T0.plusSeconds(60), "tenant:" + tenant + "/key:abcd", 1)));
        assertThat(store().list(DeadLetterQuery.of(tenant, 10)).items()).isEmpty();
        DeadLetter back = store().find(tenant, d.jobId()).orElseThrow();
        assertThat(back.state()).isEqualTo(DeadLetter.State.REPLAYED);
        assertThat(back.replay().by()).contains(tenant);
    }

    @Test
    void aSecondDeath_replacesTheRecord_keepingTheFirstAsLineage_andMovesInTheListing() {
        DeadLetter d = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        store().put(d);
        DeadLetter replayed = d.replayed(new DeadLetter.Replay(T0.plusSeconds(60), "ops", 1));
        store().put(replayed);
        DeadLetter again = DeadLetters.of(tenant, "webhook.deliver", "retries_exhausted", T0.plusSeconds(120));
        again = new DeadLetter(d.jobId(), tenant, again.type(), again.reason(), again.error(), again.attempts(), again.history(), again.payload(),
                4, null, again.sourceQueue(), "worker", null, null, d.createdAt(), again.deadLetteredAt(), again.recordedAt(), "k2", 1,
                DeadLetter.State.DEAD, null, null).after(replayed);
        store().put(again);
        List<DeadLetter> listed = store().list(DeadLetterQuery.of(tenant, 10)).items();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).reason()).isEqualTo("retries_exhausted");
        assertThat(listed.get(0).previous()).singleElement().satisfies(l -> {
            assertThat(l.reason()).isEqualTo("client_error");
            assertThat(l.replayedBy()).isEqualTo("ops");
        });
    }

    @Test
    void delete_removesIt_fromFindAndListing() {
        DeadLetter d = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        store().put(d);
        assertThat(store().delete(tenant, d.jobId())).isTrue();
        assertThat(store().find(tenant, d.jobId())).isEmpty();
        assertThat(store().list(DeadLetterQuery.of(tenant, 10)).items()).isEmpty();
        assertThat(store().delete(tenant, d.jobId())).isFalse();
    }

    @Test
    void putTwice_isHarmless() {
        DeadLetter d = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        store().put(d);
        store().put(d);
        assertThat(store().list(DeadLetterQuery.of(tenant, 10)).items()).hasSize(1);
    }

    @Test
    void depth_countsDeadRecords_andKnowsTheOldest() {
        DlqDepth before = store().depth();
        DeadLetter a = DeadLetters.of(tenant, "webhook.deliver", "client_error", Instant.parse("2020-01-01T00:00:00Z"));
        DeadLetter b = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        store().put(a);
        store().put(b);
        DlqDepth after = store().depth();
        assertThat(after.count()).isEqualTo(before.count() + 2);
        assertThat(after.oldest()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        store().put(a.replayed(new DeadLetter.Replay(T0, "ops", 1)));
        assertThat(store().depth().count()).isEqualTo(before.count() + 1);
        store().delete(tenant, b.jobId());
        assertThat(store().depth().count()).isEqualTo(before.count());
    }

    @Test
    void audit_isKept_perTenant_newestFirst() {
        store().audit(new AuditEntry(T0, tenant, "ops", "replay", "j1", null, "replayed"));
        store().audit(new AuditEntry(T0.plusSeconds(1), tenant, "ops", "discard", "j2", null, "discarded"));
        store().audit(new AuditEntry(T0, other, "ops", "discard", "j3", null, "discarded"));
        assertThat(store().audits(tenant, 10)).extracting(AuditEntry::action).containsExactly("discard", "replay");
    }

    @Test
    void anUndecodableMessagesRecord_isKept_withItsRawBody() {
        DeadLetter d = DeadLetterDecoder.malformed(new io.durablejobs.core.work.IncomingMessage("jobs.dead", new byte[] {1, 2, 3},
                java.util.Map.of("x-jobs-tenant", tenant), null, false), T0, "not JSON");
        store().put(d);
        DeadLetter back = store().find(tenant, d.jobId()).orElseThrow();
        assertThat(back.rawBody()).isEqualTo("AQID");
        assertThat(back.payload()).isNull();
        assertThat(back.replayable()).isFalse();
    }
}
