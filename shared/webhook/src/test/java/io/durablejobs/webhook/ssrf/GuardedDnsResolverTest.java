package io.durablejobs.webhook.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardedDnsResolverTest {
    private final AtomicInteger lookups = new AtomicInteger();

    private HostLookup fakeDns(Map<String, List<String>> answers) {
        return host -> {
            lookups.incrementAndGet();
            List<String> found = answers.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[found.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = InetAddress.getByAddress(host, IpLiteral.parse(found.get(i)).orElseThrow());
            }
            return out;
        };
    }

    @Test
    void returnsTheCheckedPublicAddressesWithThePort() throws Exception {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.publicOnly(),
                fakeDns(Map.of("hooks.example", List.of("93.184.215.14", "2606:4700::1111"))));

        List<InetSocketAddress> addresses = resolver.resolve("hooks.example", 443);

        assertThat(addresses).extracting(a -> a.getAddress().getHostAddress(), InetSocketAddress::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("93.184.215.14", 443),
                        org.assertj.core.groups.Tuple.tuple("2606:4700:0:0:0:0:0:1111", 443));
        assertThat(addresses).noneMatch(InetSocketAddress::isUnresolved);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void refusesWhenAnyResolvedAddressIsPrivate() {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.publicOnly(),
                fakeDns(Map.of("rebind.example", List.of("93.184.215.14", "127.0.0.1"))));

        assertThatThrownBy(() -> resolver.resolve("rebind.example", 80))
                .isInstanceOfSatisfying(RefusedTargetException.class, e -> {
                    assertThat(e.scope()).isEqualTo(AddressScope.LOOPBACK);
                    assertThat(e.address()).isEqualTo("127.0.0.1");
                    assertThat(e.getMessage()).contains("rebind.example").doesNotContain("127.0.0.1");
                });
    }

    @Test
    void refusesCloudMetadataAddress() {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.publicOnly(),
                fakeDns(Map.of("metadata.example", List.of("169.254.169.254"))));

        assertThatThrownBy(() -> resolver.resolve("metadata.example"))
                .isInstanceOfSatisfying(RefusedTargetException.class, e -> assertThat(e.scope()).isEqualTo(AddressScope.LINK_LOCAL));
    }

    @Test
    void checksIpLiteralsWithoutLookingThemUp() throws Exception {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.publicOnly(), fakeDns(Map.of()));

        assertThat(resolver.resolve("93.184.215.14")).extracting(InetAddress::getHostAddress).containsExactly("93.184.215.14");
        assertThatThrownBy(() -> resolver.resolve("::ffff:7f00:1")).isInstanceOf(RefusedTargetException.class);
        assertThatThrownBy(() -> resolver.resolve("::1")).isInstanceOf(RefusedTargetException.class);
        assertThatThrownBy(() -> resolver.resolve("10.1.2.3")).isInstanceOf(RefusedTargetException.class);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void refusesLocalhostByNameWithTheSystemResolver() {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.publicOnly());

        assertThatThrownBy(() -> resolver.resolve("localhost"))
                .isInstanceOfSatisfying(RefusedTargetException.class, e -> assertThat(e.scope()).isEqualTo(AddressScope.LOOPBACK));
    }

    @Test
    void allowsLoopbackWhenPrivateNetworksAreAllowed() throws Exception {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.allowingPrivateNetworks(),
                fakeDns(Map.of("local.test", List.of("127.0.0.1"))));

        assertThat(resolver.resolve("local.test", 8080)).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.1");
    }

    @Test
    void reportsUnknownHostsAsSuch() {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.publicOnly(), fakeDns(Map.of()));

        assertThatThrownBy(() -> resolver.resolve("nowhere.example"))
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(RefusedTargetException.class);
    }

    @Test
    void treatsAnEmptyAnswerAsUnknownHost() {
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.publicOnly(), host -> new InetAddress[0]);

        assertThatThrownBy(() -> resolver.resolve("empty.example")).isInstanceOf(UnknownHostException.class);
    }
}
