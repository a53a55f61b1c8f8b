package io.durablejobs.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeyTest {

    @Test
    void of_putsTheTenantInFront() {
        BlobKey k = BlobKey.of("t1", "jobs/abc/output.png");
        assertThat(k.value()).isEqualTo("t1/jobs/abc/output.png");
        assertThat(k.tenant()).isEqualTo("t1");
        assertThat(k.relative()).isEqualTo("jobs/abc/output.png");
        assertThat(k.name()).isEqualTo("output.png");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../t2/x", "a/../../t2/x", "a//b", "/abs", "a/", ".hidden", "a/./b", "a\\b", "a b", "a/%2e%2e/b", "é"})
    void traversalAndOddNames_areRefused(String relative) {
        assertThat(BlobKey.problemWith(relative)).isNotNull();
        assertThatThrownBy(() -> BlobKey.of("t1", relative)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outputKey_isDerivedFromTheJobId_only() {
        assertThat(OutputKeys.forJob("t1", "01J", "png")).isEqualTo(OutputKeys.forJob("t1", "01J", "png"));
        assertThat(OutputKeys.resolve("t1", "01J", null, "pdf").value()).isEqualTo("t1/jobs/01J/output.pdf");
        assertThat(OutputKeys.resolve("t1", "01J", "reports/q1.pdf", "pdf").value()).isEqualTo("t1/reports/q1.pdf");
    }
}
