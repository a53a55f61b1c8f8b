package io.durablejobs.host;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What API Gateway knows of an incoming request before it builds the event; headers keep the client's case. */
record ApiGatewayRequest(
        String method,
        String rawPath,
        String rawQuery,
        String protocol,
        Map<String, List<String>> headers,
        byte[] body,
        InetSocketAddress remote,
        int localPort,
        Instant received) {
}
