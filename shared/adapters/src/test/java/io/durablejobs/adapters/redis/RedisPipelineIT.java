package io.durablejobs.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.port.Pipelined;
import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The group-commit pipeline against the real Redis, standalone and cluster: answers in order, fewer flushes than calls. */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisPipelineIT {
    @Parameter
    RedisTarget target;
    static TestServers servers;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("pipeline", target);
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @Test
    void callsAskedForTogether_shareFlushes_andEachGetsItsOwnAnswer() {
        RedisPipeline p = servers.redis().pipeline();
        Pipelined.await(p.call(a -> a.ping()));
        long flushes = RedisPipeline.flushesSent();
        long commands = RedisPipeline.commandsSent();
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String key = servers.namespace() + ":n:{" + i + "}";
            answers.add(p.call(a -> a.incrby(key, 7)));
        }
        for (int i = 0; i < 500; i++) {
            assertThat(Pipelined.await(answers.get(i))).isEqualTo(7L);
        }
        assertThat(RedisPipeline.commandsSent() - commands).isGreaterThanOrEqualTo(500);
        // Asked for in a tight loop while earlier flushes were answered: far fewer flushes than calls.
        assertThat(RedisPipeline.flushesSent() - flushes).isLessThan(250);
    }

    @Test
    void aScriptTheServerHasNotSeen_fallsBackToEval_inALaterFlush() {
        RedisPipeline p = servers.redis().pipeline();
        RedisScript fresh = RedisScript.ofSource("return ARGV[1] .. '-' .. KEYS[1] -- " + UUID.randomUUID());
        String key = servers.namespace() + ":s:{x}";
        String out = Pipelined.await(p.script(fresh, ScriptOutputType.VALUE, new String[] {key}, "hello"));
        assertThat(out).isEqualTo("hello-" + key);
    }

    @Test
    void foldedItems_becomeOneCall_withOneAnswerEach() {
        RedisPipeline p = servers.redis().pipeline();
        RedisScript echo = RedisScript.ofSource("local out = {} for i = 1, #ARGV do out[i] = ARGV[i] .. '!' end return out -- "
                + UUID.randomUUID());
        String key = servers.namespace() + ":f:{t}";
        RedisPipeline.Fold<String> fold = items -> new RedisPipeline.Call(echo, ScriptOutputType.MULTI, new String[] {key},
                items.toArray(String[]::new));
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            answers.add(p.folded(key, "i" + i, fold));
        }
        for (int i = 0; i < 300; i++) {
            assertThat(Pipelined.await(answers.get(i))).isEqualTo("i" + i + "!");
        }
    }

    @Test
    void aFailingCall_failsOnlyItsCaller_asTheStoreBeingUnavailable() {
        RedisPipeline p = servers.redis().pipeline();
        String key = servers.namespace() + ":w:{x}";
        Pipelined.await(p.call(a -> a.set(key, "not a number")));
        CompletableFuture<Long> bad = p.call(a -> a.incr(key));
        CompletableFuture<String> good = p.call(a -> a.get(key));
        assertThatThrownBy(() -> Pipelined.await(bad)).isInstanceOf(StoreUnavailableException.class);
        assertThat(Pipelined.await(good)).isEqualTo("not a number");
    }

    @Test
    void aClosedPipeline_refusesCalls() {
        try (RedisSession own = target.open()) {
            RedisPipeline p = own.pipeline();
            String pong = Pipelined.await(p.call(a -> a.ping()));
            assertThat(pong).isEqualTo("PONG");
            p.close();
            assertThatThrownBy(() -> Pipelined.await(p.call(a -> a.ping()))).isInstanceOf(StoreUnavailableException.class);
        }
    }
}
