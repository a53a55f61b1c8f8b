package io.durablejobs.image;

import java.awt.image.BufferedImage;

/** What {@link ImageDecoder} made of the input bytes. */
public sealed interface Decoded {

    /** Upright (EXIF orientation applied), RGB or ARGB, possibly subsampled. */
    record Image(BufferedImage image, String format, int sourceWidth, int sourceHeight, int subsampling) implements Decoded {
    }

    /** Permanently unusable: the reason is one of {@link ImageReasons}. */
    record Refused(String reason, String message) implements Decoded {
    }
}
