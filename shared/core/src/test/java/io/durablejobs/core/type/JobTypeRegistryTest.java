package io.durablejobs.core.type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobTypeRegistryTest {

    /** The light part a submit function carries. */
    static class Spec implements JobType {
        @Override
        public String name() {
            return "thing.make";
        }

        @Override
        public List<FieldError> validate(JsonNode payload) {
            return List.of();
        }

        @Override
        public Outcome handle(JobContext context) {
            throw new IllegalStateException("spec only");
        }
    }

    /** The worker's full type, refining the spec. */
    static final class Full extends Spec {
        @Override
        public Outcome handle(JobContext context) {
            return Outcome.succeeded(null);
        }
    }

    /** Another type that happens to take the same name. */
    static final class Impostor extends Spec {
    }

    @Test
    void the_full_type_replaces_its_spec_whichever_is_found_first() {
        assertThat(JobTypeRegistry.of(new Spec(), new Full()).find("thing.make")).get().isInstanceOf(Full.class);
        assertThat(JobTypeRegistry.of(new Full(), new Spec()).find("thing.make")).get().isInstanceOf(Full.class);
        assertThat(JobTypeRegistry.of(new Spec(), new Full()).all()).hasSize(1);
    }

    @Test
    void two_unrelated_types_of_one_name_are_refused() {
        assertThatThrownBy(() -> JobTypeRegistry.of(new Full(), new Impostor()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered twice: thing.make");
        assertThatThrownBy(() -> JobTypeRegistry.of(new Spec(), new Spec()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered twice");
    }
}
