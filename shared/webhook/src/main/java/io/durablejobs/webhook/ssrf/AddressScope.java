package io.durablejobs.webhook.ssrf;

/**
 * Where an IP address leads, as far as deciding whether a webhook may be sent there. Only
 * {@link #PUBLIC} is reachable by default; the scopes flagged {@link #privateNetwork()} open up when private
 * networks are allowed (local testing); the rest are never a legitimate webhook target.
 */
public enum AddressScope {
    PUBLIC(false),
    /** 127/8, ::1. */
    LOOPBACK(true),
    /** RFC 1918: 10/8, 172.16/12, 192.168/16. */
    PRIVATE(true),
    /** RFC 6598 carrier-grade NAT, 100.64/10: inside a provider's network, never the open internet. */
    SHARED(true),
    /** 169.254/16 (where cloud metadata endpoints live), fe80::/10. */
    LINK_LOCAL(true),
    /** fc00::/7 unique local addresses. */
    UNIQUE_LOCAL(true),
    /** fec0::/10, deprecated but still routed inside some networks. */
    SITE_LOCAL(true),
    /** 0/8, ::. Connecting to 0.0.0.0 reaches the local host on Linux. */
    UNSPECIFIED(false),
    /** 224/4, ff00::/8. */
    MULTICAST(false),
    /** 255.255.255.255. */
    BROADCAST(false),
    /** Documentation, benchmarking, protocol-assignment and future-use ranges; unassigned IPv6 space. */
    RESERVED(false),
    /** ::ffff:0:0/96. Refused whatever it embeds: a URL has no reason to spell an IPv4 address this way. */
    IPV4_MAPPED(false),
    /** ::/96 (deprecated IPv4-compatible addresses). */
    IPV4_COMPATIBLE(false),
    /** 2001::/32: the relay path and the (obfuscated) client address are outside our control. */
    TEREDO(false);

    private final boolean privateNetwork;

    AddressScope(boolean privateNetwork) {
        this.privateNetwork = privateNetwork;
    }

    /** Whether {@code JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true} makes this scope reachable. */
    public boolean privateNetwork() {
        return privateNetwork;
    }
}
