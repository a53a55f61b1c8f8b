package io.durablejobs.image;

/**
 * Reads the EXIF orientation tag (0x0112) of a JPEG: walks the marker segments up to the first scan, finds
 * the {@code Exif\0\0} APP1 segment and looks the tag up in IFD0. Bounds-checked throughout; anything odd
 * answers 1 (as stored). Small and dependency-free, because all it needs is one number.
 */
public final class ExifOrientation {
    public static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /** 1..8 as EXIF defines them; 1 when absent or unreadable. */
    public static int read(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            return NORMAL;
        }
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return NORMAL;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return NORMAL; // start of scan or end of image: no EXIF before the data
            }
            int length = u16(b, i + 2, false);
            int start = i + 4;
            int end = i + 2 + length;
            if (length < 2 || end > b.length) {
                return NORMAL;
            }
            if (marker == 0xE1 && end - start >= 14 && b[start] == 'E' && b[start + 1] == 'x' && b[start + 2] == 'i'
                    && b[start + 3] == 'f' && b[start + 4] == 0 && b[start + 5] == 0) {
                return fromTiff(b, start + 6, end);
            }
            i = end;
        }
        return NORMAL;
    }

    private static int fromTiff(byte[] b, int t, int end) {
        boolean little;
        if (b[t] == 'I' && b[t + 1] == 'I') {
            little = true;
        } else if (b[t] == 'M' && b[t + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(b, t + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = t + u32(b, t + 4, little);
        if (ifd + 2 > end) {
            return NORMAL;
        }
        int count = u16(b, (int) ifd, little);
        for (int e = 0; e < count; e++) {
            int entry = (int) ifd + 2 + e * 12;
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (u16(b, entry, little) == 0x0112) {
                int type = u16(b, entry + 2, little);
                int value = type == 3 ? u16(b, entry + 8, little) : -1; // SHORT
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int a = b[at] & 0xff;
        int c = b[at + 1] & 0xff;
        return little ? (c << 8) | a : (a << 8) | c;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return (hi << 16) | lo;
    }
}
