package io.durablejobs.webhook.ssrf;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name lookup behind {@link GuardedDnsResolver}; the system resolver by default, a fake in tests. */
@FunctionalInterface
public interface HostLookup {
    HostLookup SYSTEM = InetAddress::getAllByName;

    InetAddress[] lookup(String host) throws UnknownHostException;
}
