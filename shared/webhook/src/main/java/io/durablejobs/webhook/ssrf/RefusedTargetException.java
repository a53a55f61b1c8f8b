package io.durablejobs.webhook.ssrf;

import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A webhook target resolved to an address the {@link TargetAddressPolicy} refuses. Extends
 * {@link UnknownHostException} only because that is the one checked exception
 * {@link org.apache.hc.client5.http.DnsResolver} may throw, so it passes through the HTTP client unwrapped;
 * catch it before {@code UnknownHostException}, since its meaning (never retry) is the opposite.
 *
 * <p>The message names the host and the scope, not the address: the message can reach the tenant, and
 * telling them which internal address a name resolves to would help map the network.
 */
public final class RefusedTargetException extends UnknownHostException {
    private final String host;
    private final String address;
    private final AddressScope scope;

    public RefusedTargetException(String host, String address, AddressScope scope) {
        super("target " + host + " resolves to a " + scope.name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " address, which webhooks may not reach");
        this.host = host;
        this.address = address;
        this.scope = scope;
    }

    public String host() {
        return host;
    }

    /** The refused address, for operators' logs only. */
    public String address() {
        return address;
    }

    public AddressScope scope() {
        return scope;
    }
}
