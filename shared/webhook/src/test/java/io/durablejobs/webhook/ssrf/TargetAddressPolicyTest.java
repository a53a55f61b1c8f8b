package io.durablejobs.webhook.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetAddressPolicyTest {
    private final TargetAddressPolicy publicOnly = TargetAddressPolicy.publicOnly();
    private final TargetAddressPolicy privateAllowed = TargetAddressPolicy.allowingPrivateNetworks();

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1",
        "127.255.255.254", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8",
        "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
        "224.0.0.1", "239.255.255.250", "240.0.0.1", "254.1.2.3", "255.255.255.255"})
    void refusesNonPublicIpv4ByDefault(String address) {
        assertThat(publicOnly.permits(address)).as(address).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "93.184.215.14", "8.8.8.8", "1.1.1.1", "11.0.0.1", "100.63.255.255", "100.128.0.1", "126.255.255.255",
        "128.0.0.1", "169.253.255.255", "172.15.255.255", "172.32.0.1", "192.0.1.1", "192.167.255.255",
        "192.169.0.1", "198.17.255.255", "198.20.0.1", "223.255.255.255"})
    void allowsPublicIpv4(String address) {
        assertThat(publicOnly.permits(address)).as(address).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "::", "::1", "[::1]", "::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:a00:1", "::ffff:8.8.8.8",
        "::127.0.0.1", "::8.8.8.8", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::808:808", "2001::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "2002:7f00:1::", "2002:a00:1::1",
        "2002:c0a8:101::", "fc00::1", "fd00::1", "fdff:ffff::1", "fe80::1", "fe80::1%eth0", "febf::1", "fec0::1",
        "ff02::1", "ff05::1:3", "100::1", "3fff::1", "4000::1", "::2"})
    void refusesNonPublicIpv6ByDefault(String address) {
        assertThat(publicOnly.permits(address)).as(address).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2606:4700::1111", "2a00:1450:4001:82b::200e", "2001:4860:4860::8888", "2600::1", "64:ff9b::808:808",
        "64:ff9b::93.184.215.14", "2002:808:808::1", "[2606:4700:4700::1001]"})
    void allowsPublicIpv6IncludingNat64And6to4OfPublicAddresses(String address) {
        assertThat(publicOnly.permits(address)).as(address).isTrue();
    }

    @Test
    void refusesIpv4MappedLoopback() {
        assertThat(publicOnly.permits("::ffff:127.0.0.1")).isFalse();
        assertThat(AddressClassifier.classify(IpLiteral.parse("::ffff:127.0.0.1").orElseThrow()))
                .isEqualTo(AddressScope.IPV4_MAPPED);
    }

    @Test
    void classifiesTheIpv4Inside6to4() {
        assertThat(AddressClassifier.classify(IpLiteral.parse("2002:7f00:1::").orElseThrow())).isEqualTo(AddressScope.LOOPBACK);
        assertThat(AddressClassifier.classify(IpLiteral.parse("2002:c0a8:101::").orElseThrow())).isEqualTo(AddressScope.PRIVATE);
    }

    @Test
    void classifiesEachKindOfLocalAddress() {
        assertThat(scope("::1")).isEqualTo(AddressScope.LOOPBACK);
        assertThat(scope("fe80::1")).isEqualTo(AddressScope.LINK_LOCAL);
        assertThat(scope("fd00::1")).isEqualTo(AddressScope.UNIQUE_LOCAL);
        assertThat(scope("100.64.0.1")).isEqualTo(AddressScope.SHARED);
        assertThat(scope("169.254.169.254")).isEqualTo(AddressScope.LINK_LOCAL);
        assertThat(scope("0.0.0.0")).isEqualTo(AddressScope.UNSPECIFIED);
        assertThat(scope("255.255.255.255")).isEqualTo(AddressScope.BROADCAST);
        assertThat(scope("2001::1")).isEqualTo(AddressScope.TEREDO);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.1.1", "100.64.0.1", "::1", "fe80::1",
        "fd00::1", "fc00::1", "fec0::1", "2002:7f00:1::"})
    void allowsLoopbackAndPrivateNetworksWhenAllowed(String address) {
        assertThat(privateAllowed.permits(address)).as(address).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "::ffff:127.0.0.1", "::ffff:7f00:1",
        "192.0.2.1", "2001:db8::1", "2001::1", "::127.0.0.1"})
    void keepsUnspecifiedMulticastMappedAndReservedRefusedEvenWhenPrivateIsAllowed(String address) {
        assertThat(privateAllowed.permits(address)).as(address).isFalse();
    }

    @Test
    void rejectsTextThatIsNotAnAddress() {
        assertThatThrownBy(() -> publicOnly.permits("example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    private static AddressScope scope(String literal) {
        return AddressClassifier.classify(IpLiteral.parse(literal).orElseThrow());
    }
}
