package io.durablejobs.webhook.ssrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "fe80::1", "2606:4700::1111",
        "2001:db8:0:0:1:0:0:1", "64:ff9b::192.0.2.33", "FD00::ABCD", "2002:7f00:1::"})
    void readsIpv6AsTheJdkDoes(String literal) throws Exception {
        assertThat(IpLiteral.parse(literal)).get().isEqualTo(InetAddress.getByName(literal).getAddress());
    }

    @Test
    void keepsIpv4MappedAddressesAsSixteenBytes() {
        byte[] expected = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        assertThat(IpLiteral.parse("::ffff:127.0.0.1")).get().isEqualTo(expected);
        assertThat(IpLiteral.parse("::ffff:7f00:1")).get().isEqualTo(expected);
        assertThat(IpLiteral.parse("0:0:0:0:0:ffff:7f00:1")).get().isEqualTo(expected);
    }

    @Test
    void readsBracketedAndZonedIpv6() {
        assertThat(IpLiteral.parse("[::1]")).get().isEqualTo(IpLiteral.parse("::1").orElseThrow());
        assertThat(IpLiteral.parse("fe80::1%eth0")).get().isEqualTo(IpLiteral.parse("fe80::1").orElseThrow());
    }

    @Test
    void readsCanonicalIpv4() {
        assertThat(IpLiteral.parse("93.184.215.14")).get().isEqualTo(new byte[] {93, (byte) 184, (byte) 215, 14});
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "0x7f.0.0.1", "2130706433", "1.2.3.",
        ":::", "::1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "12345::", "g::1", "[::1", "1:2", ":1::",
        "::1.2.3", "::ffff:1.2.3.4:1", "1.2.3.4::"})
    void leavesNonLiteralsToTheResolver(String text) {
        assertThat(IpLiteral.parse(text)).as(text).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0177.0.0.1", "0x7f.0.0.1", "0x7F000001", "127.1", "127.0.1", "2130706433", "017700000001", "127.0.0.1.",
        "256.0.0.1", "1.2.3.4.5", "0x", "example.0x10", "a.b.010"})
    void numbersThatBrowsersReadAsIpv4_butAreNotPlainDottedDecimal_areNonCanonical(String host) {
        assertThat(IpLiteral.isNonCanonicalIpv4(host)).as(host).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "93.184.215.14", "0.0.0.0", "example.com", "1.example", "0x.example", "::1",
        "[::ffff:127.0.0.1]", "host-1", "a1"})
    void namesAndCanonicalAddresses_areNotNonCanonicalIpv4(String host) {
        assertThat(IpLiteral.isNonCanonicalIpv4(host)).as(host).isFalse();
    }
}
