package io.durablejobs.webhook;

import io.durablejobs.webhook.ssrf.AddressScope;

/** What one POST attempt came to, before it is judged: the HTTP side's facts, with no policy in them. */
public sealed interface Delivery {

    /** The receiver answered. {@code retryAfter} is the raw header, or null. */
    record Responded(int statusCode, String retryAfter) implements Delivery {
    }

    /** No answer in time; {@code phase} is {@code connect} or {@code response}. */
    record TimedOut(String phase) implements Delivery {
    }

    /**
     * The target resolved to an address the policy refuses; no connection was attempted. {@code address}
     * is for operators' logs, never for the tenant.
     */
    record Refused(String host, String address, AddressScope scope) implements Delivery {
    }

    /** The host name did not resolve. */
    record UnknownHost(String host) implements Delivery {
    }

    /** Any other transport failure: refused connection, reset, TLS failure. */
    record Failed(String error) implements Delivery {
    }
}
