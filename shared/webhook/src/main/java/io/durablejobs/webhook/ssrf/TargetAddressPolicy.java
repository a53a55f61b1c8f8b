package io.durablejobs.webhook.ssrf;

import java.net.InetAddress;

/**
 * Decides whether a webhook may connect to an address. Public addresses always; loopback, private,
 * link-local, CGNAT and unique-local ones only when private networks are allowed (local testing); never
 * unspecified, multicast, broadcast, reserved, IPv4-mapped, IPv4-compatible or Teredo addresses.
 *
 * <p>This only classifies. It is enforced where the connection is made, by {@link GuardedDnsResolver}.
 */
public final class TargetAddressPolicy {
    private final boolean allowPrivateNetworks;

    private TargetAddressPolicy(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    public static TargetAddressPolicy publicOnly() {
        return new TargetAddressPolicy(false);
    }

    public static TargetAddressPolicy allowingPrivateNetworks() {
        return new TargetAddressPolicy(true);
    }

    public static TargetAddressPolicy of(boolean allowPrivateNetworks) {
        return new TargetAddressPolicy(allowPrivateNetworks);
    }

    public boolean allowsPrivateNetworks() {
        return allowPrivateNetworks;
    }

    public boolean permits(AddressScope scope) {
        return scope == AddressScope.PUBLIC || (allowPrivateNetworks && scope.privateNetwork());
    }

    /** Classifies raw address bytes (4 or 16) and says whether they may be connected to. */
    public boolean permits(byte[] address) {
        return permits(AddressClassifier.classify(address));
    }

    public boolean permits(InetAddress address) {
        return permits(address.getAddress());
    }

    /**
     * Convenience for IP literals, as written in a URL or a test: {@code "::ffff:127.0.0.1"}, {@code "[::1]"}.
     *
     * @throws IllegalArgumentException when {@code literal} is not an IP address
     */
    public boolean permits(String literal) {
        return permits(IpLiteral.parse(literal).orElseThrow(
                () -> new IllegalArgumentException("not an IP literal: " + literal)));
    }

    @Override
    public String toString() {
        return allowPrivateNetworks ? "TargetAddressPolicy[public and private networks]" : "TargetAddressPolicy[public only]";
    }
}
