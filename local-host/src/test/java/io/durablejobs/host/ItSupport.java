package io.durablejobs.host;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.core.topology.ExchangeSpec;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Shared by the integration tests: a namespace of their own on the real broker, publishing, clean-up. */
final class ItSupport {
    private ItSupport() {
    }

    static String namespace() {
        return "it-host-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String rabbitUri() {
        return System.getenv().getOrDefault("JOBS_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/%2f");
    }

    /** The machine's environment (so CI's JOBS_RABBITMQ_URI and JOBS_REDIS_URI count) plus the test's own settings. */
    static HostOptions options(String namespace, String... functions) {
        Map<String, String> env = hostEnv(namespace);
        return HostOptions.of(env).withFunctionTable(TestTables.functions()).withFunctions(functions).withHttpPort(0);
    }

    /**
     * The machine's environment (CI's JOBS_RABBITMQ_URI and JOBS_REDIS_URI count) without the host settings
     * a developer's shell may carry (function subset, table file, shards), in the test's own namespace.
     */
    static Map<String, String> hostEnv(String namespace) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JOBS_HOST_FUNCTIONS");
        env.remove("JOBS_FUNCTIONS_FILE");
        env.remove("JOBS_SHARDS");
        env.remove("JOBS_HOST_ISOLATION");
        env.put("JOBS_NAMESPACE", namespace);
        return env;
    }

    static void publish(Topology topology, String type, AMQP.BasicProperties props, byte[]... bodies) throws Exception {
        try (Connection c = AmqpConnections.open(rabbitUri(), "it-publisher"); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            for (byte[] body : bodies) {
                ch.basicPublish(topology.jobsExchange(), type, true, props, body);
            }
            ch.waitForConfirmsOrDie(5000);
        }
    }

    static long ready(Topology topology, String queue) throws Exception {
        try (Connection c = AmqpConnections.open(rabbitUri(), "it-inspect"); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Deletes every queue and exchange of the test's namespace. */
    static void deleteTopology(Topology topology) {
        try (Connection c = AmqpConnections.open(rabbitUri(), "it-cleanup")) {
            for (QueueSpec q : topology.queues()) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q.name());
                } catch (Exception ignored) {
                    // already gone
                }
            }
            for (ExchangeSpec e : topology.exchanges()) {
                try (Channel ch = c.createChannel()) {
                    ch.exchangeDelete(e.name());
                } catch (Exception ignored) {
                    // already gone
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cleanup of " + topology.namespace() + " failed", e);
        }
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
