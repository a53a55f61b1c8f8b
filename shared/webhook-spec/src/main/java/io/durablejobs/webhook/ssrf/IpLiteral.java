package io.durablejobs.webhook.ssrf;

import java.util.Optional;

/**
 * Parses a host that is written as an IP address (a URL's host, with or without IPv6 brackets) into its
 * bytes, without any lookup. Our own parser rather than {@link java.net.InetAddress#getByName} because the
 * JDK turns {@code ::ffff:127.0.0.1} into the IPv4 address 127.0.0.1, hiding the IPv4-mapped form the
 * policy refuses outright.
 *
 * <p>IPv4 is accepted only in canonical dotted-decimal form. Other spellings ({@code 0177.0.0.1},
 * {@code 0x7f.1}, {@code 127.1}, {@code 2130706433}) are read differently by different parsers: the JDK
 * reads {@code 0177} as decimal 177, curl and browsers as octal 127. A URL that means one address to the
 * check and another to a client is refused at submit ({@link #isNonCanonicalIpv4}), so nothing ever has to
 * decide which reading is right.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The 4 or 16 address bytes, or empty when {@code host} is not an IP literal. */
    public static Optional<byte[]> parse(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int zone = h.indexOf('%');
        if (zone >= 0 && h.indexOf(':') >= 0) {
            h = h.substring(0, zone); // fe80::1%eth0: the zone picks an interface, not a different address
        }
        if (h.indexOf(':') >= 0) {
            return Optional.ofNullable(parseV6(h));
        }
        return Optional.ofNullable(parseV4(h));
    }

    /**
     * Whether a URL parser that follows the WHATWG URL standard (browsers, curl) reads {@code host} as an IPv4
     * address, because its last label is a number (decimal digits, or {@code 0x} and hex digits), while it is
     * not canonical dotted decimal: leading zeros (octal to them), hex, fewer than four parts, a trailing dot,
     * a part above 255.
     */
    public static boolean isNonCanonicalIpv4(String host) {
        if (host == null || host.isEmpty() || host.indexOf(':') >= 0 || host.startsWith("[")) {
            return false;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1);
        boolean number;
        if (last.startsWith("0x") || last.startsWith("0X")) {
            number = last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        } else {
            number = !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9');
        }
        return number && parseV4(host) == null;
    }

    /** Whether {@code host} is written as an IP address. */
    public static boolean isLiteral(String host) {
        return parse(host).isPresent();
    }

    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head;
        int[] tail;
        if (gap >= 0) {
            head = groups(s.substring(0, gap), false);
            tail = groups(s.substring(gap + 2), true);
            if (head == null || tail == null || head.length + tail.length > 7) {
                return null;
            }
        } else {
            head = groups(s, true);
            tail = new int[0];
            if (head == null || head.length != 8) {
                return null;
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            put(out, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            put(out, 8 - tail.length + i, tail[i]);
        }
        return out;
    }

    /** 16-bit groups of one side of "::"; the last may be a dotted IPv4 address (two groups). */
    private static int[] groups(String s, boolean mayEndWithV4) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int extra = 0;
        byte[] v4 = null;
        String last = parts[parts.length - 1];
        if (last.indexOf('.') >= 0) {
            v4 = mayEndWithV4 ? parseV4(last) : null;
            if (v4 == null) {
                return null;
            }
            extra = 1;
        }
        int[] out = new int[parts.length + extra];
        int n = v4 == null ? parts.length : parts.length - 1;
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0) {
                    return null;
                }
                v = (v << 4) | d;
            }
            out[i] = v;
        }
        if (v4 != null) {
            out[n] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
            out[n + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        }
        return out;
    }

    private static void put(byte[] out, int group, int value) {
        out[group * 2] = (byte) (value >>> 8);
        out[group * 2 + 1] = (byte) value;
    }
}
