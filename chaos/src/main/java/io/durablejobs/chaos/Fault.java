package io.durablejobs.chaos;

import java.util.Arrays;

/** One injected fault, as the report lists it. */
record Fault(Kind kind, double atSeconds, double tookSeconds, double atShareSubmitted, String detail) {

    enum Kind {
        WORKER_KILL("worker-kill", "SIGKILL of a worker execution environment (its own JVM) mid-batch; the host starts a new one"),
        BROKER_APP_RESTART("broker-app-restart", "rabbitmqctl stop_app, then start_app"),
        BROKER_NODE_KILL("broker-node-kill", "SIGKILL of the broker node's beam.smp, then a fresh start on its data"),
        REDIS_RESTART_AOF("redis-restart-aof", "SIGKILL of Redis running with AOF (appendfsync everysec), restart on the same data"),
        REDIS_RESTART_NO_PERSISTENCE("redis-restart-no-persistence",
                "SIGKILL of Redis, restart empty (what any restart of a Redis without persistence is), with no client retry straddling it");

        final String wire;
        final String what;

        Kind(String wire, String what) {
            this.wire = wire;
            this.what = what;
        }

        static Kind fromWire(String s) {
            return Arrays.stream(values()).filter(k -> k.wire.equals(s)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown fault " + s + "; one of "
                            + Arrays.stream(values()).map(k -> k.wire).toList()));
        }

        boolean needsOwnServices() {
            return this != WORKER_KILL;
        }
    }
}
