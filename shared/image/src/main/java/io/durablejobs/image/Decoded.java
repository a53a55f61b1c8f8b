package io.durablejobs.image;

import java.awt.image.BufferedImage;

/** What {@link ImageDecoder} made of the input bytes: its header, its pixels, or a refusal. */
public sealed interface Decoded permits ImageDecoder.Header, Decoded.Image, Decoded.Refused {

    /** Upright (EXIF orientation applied), RGB or ARGB, possibly subsampled. */
    record Image(BufferedImage image, String format, int sourceWidth, int sourceHeight, int subsampling) implements Decoded {
    }

    /** Permanently unusable: the reason is one of {@link ImageReasons}. */
    record Refused(String reason, String message) implements Decoded {
    }
}
