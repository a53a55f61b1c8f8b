package io.durablejobs.webhook.ssrf;

/**
 * Puts a raw IPv4 (4 bytes) or IPv6 (16 bytes) address into its {@link AddressScope}. Works on bytes rather
 * than {@link java.net.InetAddress} because the JDK silently turns IPv4-mapped IPv6 addresses into IPv4
 * ones, and the policy wants to see them as written.
 *
 * <p>Transition prefixes that carry an IPv4 address in plain sight (NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) take the scope of the embedded address: {@code 2002:7f00:1::} is loopback, while NAT64
 * of a public address is how IPv6-only networks reach IPv4-only hosts and must keep working.
 */
public final class AddressClassifier {

    private AddressClassifier() {
    }

    public static AddressScope classify(byte[] address) {
        if (address.length == 4) {
            return classifyV4(address, 0);
        }
        if (address.length == 16) {
            return classifyV6(address);
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }

    private static AddressScope classifyV4(byte[] a, int at) {
        int b0 = a[at] & 0xff;
        int b1 = a[at + 1] & 0xff;
        int b2 = a[at + 2] & 0xff;
        int b3 = a[at + 3] & 0xff;
        if (b0 == 0) {
            return AddressScope.UNSPECIFIED;
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return AddressScope.PRIVATE;
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return AddressScope.SHARED;
        }
        if (b0 == 127) {
            return AddressScope.LOOPBACK;
        }
        if (b0 == 169 && b1 == 254) {
            return AddressScope.LINK_LOCAL;
        }
        if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
            return AddressScope.RESERVED; // 192.0.0/24 protocol assignments, 192.0.2/24 TEST-NET-1
        }
        if (b0 == 192 && b1 == 88 && b2 == 99) {
            return AddressScope.RESERVED; // deprecated 6to4 relay anycast
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return AddressScope.RESERVED; // 198.18/15 benchmarking
        }
        if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) {
            return AddressScope.RESERVED; // TEST-NET-2, TEST-NET-3
        }
        if ((b0 & 0xf0) == 224) {
            return AddressScope.MULTICAST;
        }
        if (b0 == 255 && b1 == 255 && b2 == 255 && b3 == 255) {
            return AddressScope.BROADCAST;
        }
        if ((b0 & 0xf0) == 240) {
            return AddressScope.RESERVED;
        }
        return AddressScope.PUBLIC;
    }

    private static AddressScope classifyV6(byte[] a) {
        if (zeros(a, 0, 15)) {
            int last = a[15] & 0xff;
            if (last == 0) {
                return AddressScope.UNSPECIFIED;
            }
            if (last == 1) {
                return AddressScope.LOOPBACK;
            }
        }
        if (zeros(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            return AddressScope.IPV4_MAPPED;
        }
        if (zeros(a, 0, 12)) {
            return AddressScope.IPV4_COMPATIBLE;
        }
        int w0 = word(a, 0);
        int w1 = word(a, 2);
        if (w0 == 0x0064 && w1 == 0xff9b && zeros(a, 4, 12)) {
            return classifyV4(a, 12); // NAT64 well-known prefix
        }
        if (w0 == 0x0064 && w1 == 0xff9b && word(a, 4) == 0x0001) {
            return AddressScope.RESERVED; // 64:ff9b:1::/48 local-use NAT64 (RFC 8215)
        }
        if (w0 == 0x0100 && zeros(a, 2, 8)) {
            return AddressScope.RESERVED; // 100::/64 discard-only
        }
        if (w0 == 0x2001 && w1 == 0x0db8) {
            return AddressScope.RESERVED; // documentation
        }
        if (w0 == 0x2001 && w1 == 0x0000) {
            return AddressScope.TEREDO;
        }
        if (w0 == 0x2002) {
            return classifyV4(a, 2); // 6to4
        }
        if (w0 == 0x3fff && (w1 & 0xf000) == 0) {
            return AddressScope.RESERVED; // 3fff::/20 documentation (RFC 9637)
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return AddressScope.UNIQUE_LOCAL;
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return AddressScope.LINK_LOCAL;
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return AddressScope.SITE_LOCAL;
        }
        if ((w0 & 0xff00) == 0xff00) {
            return AddressScope.MULTICAST;
        }
        if ((w0 & 0xe000) != 0x2000) {
            return AddressScope.RESERVED; // outside 2000::/3, the only global unicast space assigned
        }
        return AddressScope.PUBLIC;
    }

    /** Whether bytes [from, to) are all zero. */
    private static boolean zeros(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] a, int at) {
        return ((a[at] & 0xff) << 8) | (a[at + 1] & 0xff);
    }
}
