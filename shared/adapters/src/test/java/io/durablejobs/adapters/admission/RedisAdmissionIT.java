package io.durablejobs.adapters.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.admission.AdmissionDecision;
import io.durablejobs.core.admission.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisAdmissionIT {
    @Parameter
    RedisTarget target;
    static TestServers servers;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("admission", target);
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    RedisAdmission admission(String ns, RateLimit tenant, RateLimit global) {
        return new RedisAdmission(servers.redis().commands(), servers.namespace() + "-" + ns, tenant, global);
    }

    @Test
    void aTenant_getsItsBurst_thenIsRejected_withACorrectRetryAfter_andAnotherTenantIsUnaffected() throws Exception {
        RedisAdmission a = admission("t", new RateLimit(5, 3), RateLimit.UNLIMITED);
        for (int i = 0; i < 3; i++) {
            assertThat(a.admit("acme")).as("request %d", i + 1).isInstanceOfSatisfying(AdmissionDecision.Admitted.class,
                    ok -> assertThat(ok.remaining()).isBetween(0L, 2L));
        }
        AdmissionDecision over = a.admit("acme");
        assertThat(over).isInstanceOfSatisfying(AdmissionDecision.Rejected.class, r -> {
            assertThat(r.scope()).isEqualTo(AdmissionDecision.Scope.TENANT);
            assertThat(r.retryAfter()).isBetween(Duration.ofMillis(1), Duration.ofMillis(200));
        });
        assertThat(a.admit("globex")).isInstanceOf(AdmissionDecision.Admitted.class);
        // Retry-After tells the truth: after it, the tenant is admitted again.
        Thread.sleep(((AdmissionDecision.Rejected) over).retryAfter().toMillis() + 20);
        assertThat(a.admit("acme")).isInstanceOf(AdmissionDecision.Admitted.class);
    }

    @Test
    void theGlobalBudget_capsAllTenants_andARejectionChargesNeitherQuota() {
        RedisAdmission a = admission("g", new RateLimit(1, 2), new RateLimit(1, 3));
        assertThat(a.admit("t1")).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(a.admit("t1")).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(a.admit("t1")).isInstanceOfSatisfying(AdmissionDecision.Rejected.class,
                r -> assertThat(r.scope()).isEqualTo(AdmissionDecision.Scope.TENANT));
        // t1's rejection charged nothing globally: one global slot is still free.
        assertThat(a.admit("t2")).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(a.admit("t3")).isInstanceOfSatisfying(AdmissionDecision.Rejected.class,
                r -> assertThat(r.scope()).isEqualTo(AdmissionDecision.Scope.GLOBAL));
        // t3's global rejection did not charge t3's own quota either.
        assertThat(servers.redis().commands().keys(servers.namespace() + "-g:rate:*:t:t3")).isEmpty();
    }

    @Test
    void unlimited_admitsWithoutARoundTrip() {
        RedisAdmission a = new RedisAdmission(null, "x", RateLimit.UNLIMITED, RateLimit.UNLIMITED);
        assertThat(a.admit("anyone")).isInstanceOf(AdmissionDecision.Admitted.class);
    }

    @Test
    void aBatch_isChargedOncePerJob_andGrantedWhatIsLeft() {
        RedisAdmission a = admission("b", new RateLimit(1, 5), RateLimit.UNLIMITED);
        assertThat(a.admit("acme", 3)).isInstanceOfSatisfying(AdmissionDecision.Admitted.class, ok -> {
            assertThat(ok.granted()).isEqualTo(3);
            assertThat(ok.remaining()).isEqualTo(2);
        });
        assertThat(a.admit("acme", 10)).isInstanceOfSatisfying(AdmissionDecision.Admitted.class,
                ok -> assertThat(ok.granted()).as("only what is left of the burst").isEqualTo(2));
        assertThat(a.admit("acme", 4)).isInstanceOfSatisfying(AdmissionDecision.Rejected.class,
                r -> assertThat(r.scope()).isEqualTo(AdmissionDecision.Scope.TENANT));
        assertThat(a.admit("acme")).isInstanceOf(AdmissionDecision.Rejected.class);

        RedisAdmission g = admission("bg", new RateLimit(100, 100), new RateLimit(1, 4));
        assertThat(g.admit("t1", 3)).isInstanceOfSatisfying(AdmissionDecision.Admitted.class, ok -> assertThat(ok.granted()).isEqualTo(3));
        assertThat(g.admit("t2", 3)).as("the global budget caps the batch").isInstanceOfSatisfying(AdmissionDecision.Admitted.class,
                ok -> assertThat(ok.granted()).isEqualTo(1));
        assertThat(g.admit("t3", 1)).isInstanceOfSatisfying(AdmissionDecision.Rejected.class,
                r -> assertThat(r.scope()).isEqualTo(AdmissionDecision.Scope.GLOBAL));
    }
}
