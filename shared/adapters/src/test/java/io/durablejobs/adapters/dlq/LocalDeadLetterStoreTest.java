package io.durablejobs.adapters.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreContract;
import io.durablejobs.core.dlq.DeadLetterStoreUnavailableException;
import io.durablejobs.core.dlq.DeadLetterStores;
import io.durablejobs.core.dlq.DeadLetters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter store contract on the local folder store, plus what only files show. */
class LocalDeadLetterStoreTest extends DeadLetterStoreContract {
    @TempDir
    Path dir;
    private LocalDeadLetterStore store;

    @Override
    protected DeadLetterStore store() {
        if (store == null) {
            store = new LocalDeadLetterStore(dir, "test");
        }
        return store;
    }

    @Test
    void aFolderThatCannotBeWritten_isUnavailable_notSilentlyDropped() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        LocalDeadLetterStore broken = new LocalDeadLetterStore(file, "test");
        assertThatThrownBy(() -> broken.put(DeadLetters.of(tenant, "webhook.deliver", "client_error", T0)))
                .isInstanceOf(DeadLetterStoreUnavailableException.class);
    }

    @Test
    void aHostileJobId_cannotLeaveTheFolder() throws Exception {
        var d = DeadLetters.of(tenant, "webhook.deliver", "client_error", T0);
        var evil = new io.durablejobs.core.dlq.DeadLetter("../../escape", tenant, d.type(), d.reason(), d.error(), d.attempts(), d.history(),
                d.payload(), 4, null, null, "worker", null, null, null, T0, T0, "k", 0, null, null, null);
        store().put(evil);
        assertThat(store().find(tenant, "../../escape")).isPresent();
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).allMatch(p -> p.startsWith(dir.resolve("test")));
        }
        assertThat(dir.getParent().resolve("escape.json")).doesNotExist();
    }

    @Test
    void chosenBySetting_localByDefault() {
        try (DeadLetterStore s = DeadLetterStores.open(Map.of("JOBS_DLQ_DIR", dir.toString(), "JOBS_NAMESPACE", "ns1"))) {
            assertThat(s).isInstanceOf(LocalDeadLetterStore.class);
            assertThat(((LocalDeadLetterStore) s).root()).isEqualTo(dir.resolve("ns1"));
        }
    }
}
