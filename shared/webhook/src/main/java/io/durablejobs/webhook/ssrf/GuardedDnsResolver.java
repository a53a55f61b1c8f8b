package io.durablejobs.webhook.ssrf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only way from a host name to addresses, and the place the SSRF rules are enforced.
 *
 * <p><b>Why here, and not earlier.</b> Checking the URL at submit time, or resolving the name in the handler
 * and then handing the URL to the client, leaves a gap between the check and the connection: the client
 * looks the name up again, and a name with a zero TTL can answer a public address to the check and
 * {@code 127.0.0.1} or {@code 169.254.169.254} to the connection (DNS rebinding). Here the lookup and the
 * check are one step, and the addresses returned are the very ones the connection operator connects to:
 * there is no second lookup. IP-literal hosts come through here too (the client is given a target
 * {@code HttpHost} without a pre-set address) and are checked the same way, without any lookup.
 *
 * <p>One refused address refuses the whole request, rather than being filtered out: an answer mixing
 * public and internal addresses is either a misconfiguration or an attack, and "every address we might
 * connect to was allowed" is the property that is easy to reason about.
 *
 * <p>What keeps this sufficient: redirects are not followed (a 3xx cannot lead to an unchecked host); no
 * proxy is used (a proxy would resolve the name itself); pooled connections were checked when opened and
 * live a bounded time; TLS still verifies the certificate against the URL's host name, not the address.
 */
public final class GuardedDnsResolver implements DnsResolver {
    private final TargetAddressPolicy policy;
    private final HostLookup lookup;

    public GuardedDnsResolver(TargetAddressPolicy policy, HostLookup lookup) {
        this.policy = policy;
        this.lookup = lookup;
    }

    public GuardedDnsResolver(TargetAddressPolicy policy) {
        this(policy, HostLookup.SYSTEM);
    }

    /**
     * Resolves and checks.
     *
     * @throws RefusedTargetException when any address of {@code host} is refused by the policy
     * @throws UnknownHostException when the name does not resolve
     */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        Optional<byte[]> literal = IpLiteral.parse(host);
        if (literal.isPresent()) {
            byte[] bytes = literal.get();
            AddressScope scope = AddressClassifier.classify(bytes);
            if (!policy.permits(scope)) {
                throw new RefusedTargetException(host, host, scope);
            }
            return new InetAddress[] {InetAddress.getByAddress(bytes)};
        }
        InetAddress[] found = lookup.lookup(host);
        if (found == null || found.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : found) {
            // The JDK has already turned any IPv4-mapped answer into its IPv4 address; that one is checked.
            AddressScope scope = AddressClassifier.classify(address.getAddress());
            if (!policy.permits(scope)) {
                throw new RefusedTargetException(host, address.getHostAddress(), scope);
            }
        }
        return found.clone();
    }

    /** The form the connection operator calls: the checked addresses, already resolved, with the port. */
    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        InetAddress[] addresses = resolve(host);
        List<InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            out.add(new InetSocketAddress(address, port));
        }
        return out;
    }

    /** Only used for SPNEGO/Kerberos, which webhooks never do: answer without a lookup. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
