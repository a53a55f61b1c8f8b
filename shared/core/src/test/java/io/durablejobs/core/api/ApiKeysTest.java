package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {
    @Test
    void keysMapToTheirTenant() {
        ApiKeys k = ApiKeys.parse("acme=aaaaaaaaaaaaaaaa1, globex=bbbbbbbbbbbbbbbb2");
        assertThat(k.tenantOf("aaaaaaaaaaaaaaaa1")).contains("acme");
        assertThat(k.tenantOf("bbbbbbbbbbbbbbbb2")).contains("globex");
        assertThat(k.tenantOf("aaaaaaaaaaaaaaaa")).isEmpty();
        assertThat(k.tenantOf(null)).isEmpty();
    }

    @Test
    void noKeys_deniesEverything() {
        assertThat(ApiKeys.parse("").tenantOf("anything-at-all-here")).isEmpty();
    }

    @Test
    void weakOrMalformedKeys_areRefusedAtStart() {
        assertThatThrownBy(() -> ApiKeys.parse("acme=short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.parse("noequals")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.parse("a b=aaaaaaaaaaaaaaaa1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.parse("a=aaaaaaaaaaaaaaaa1,b=aaaaaaaaaaaaaaaa1")).isInstanceOf(IllegalArgumentException.class);
    }
}
