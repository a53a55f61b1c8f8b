package io.durablejobs.host;

import java.time.Duration;

/**
 * What a client may cost the HTTP front: how long its request's headers and body may take once they
 * started, how long a connection may sit idle, and how many connections it (one remote address) and all
 * clients together may hold open, and how many request body bytes all connections together may be
 * receiving or have waiting to be handled (bodies are held in memory, up to API Gateway's 10 MB each).
 */
record HttpLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
        int maxConnectionsPerClient, long maxBodyBytesInFlight) {

    static final long DEFAULT_BODY_BYTES_IN_FLIGHT = 256L * 1024 * 1024;
    static final HttpLimits DEFAULTS = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(75),
            2048, 512, DEFAULT_BODY_BYTES_IN_FLIGHT);
}
