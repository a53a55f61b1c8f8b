package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The API is reachable on the machine's other addresses only when {@code JOBS_HTTP_BIND} says so: what a
 * container needs for its published port (Docker Compose sets 0.0.0.0), and what a developer's laptop must
 * not do by default.
 */
class HttpBindIT {

    @Test
    void by_default_the_api_is_not_reachable_on_a_non_loopback_address() throws Exception {
        InetAddress external = nonLoopbackAddress();
        try (LocalHost host = LocalHost.start(ItSupport.options(ItSupport.namespace(), "api"))) {
            try {
                assertThat(connects(InetAddress.getLoopbackAddress(), host.port())).isTrue();
                assertThatThrownBy(() -> connects(external, host.port())).isInstanceOf(java.io.IOException.class);
            } finally {
                ItSupport.deleteTopology(host.topology());
            }
        }
    }

    @Test
    void bound_to_every_address_the_api_answers_on_a_non_loopback_one() throws Exception {
        InetAddress external = nonLoopbackAddress();
        try (LocalHost host = LocalHost.start(ItSupport.options(ItSupport.namespace(), "api").withEnv("JOBS_HTTP_BIND", "0.0.0.0"))) {
            try {
                assertThat(connects(external, host.port())).isTrue();
                assertThat(host.apiUrl().getHost()).isEqualTo("127.0.0.1");
            } finally {
                ItSupport.deleteTopology(host.topology());
            }
        }
    }

    private static boolean connects(InetAddress address, int port) throws java.io.IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        }
    }

    /** An IPv4 address of an interface that is up and not loopback; the test is skipped where there is none. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        Optional<InetAddress> found = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(found.isPresent(), "this machine has no non-loopback IPv4 address to connect to");
        return found.get();
    }
}
