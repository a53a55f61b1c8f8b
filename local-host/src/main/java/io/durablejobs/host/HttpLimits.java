package io.durablejobs.host;

import java.time.Duration;

/**
 * What a client may cost the HTTP front: how long its request's headers and body may take once they
 * started, how long a connection may sit idle, and how many connections it (one remote address) and all
 * clients together may hold open.
 */
record HttpLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
        int maxConnectionsPerClient) {

    static final HttpLimits DEFAULTS = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(75),
            2048, 512);
}
