package io.durablejobs.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an input image with its memory bounded before any pixel is read: the reader reports the declared
 * size from the header ({@code getWidth}/{@code getHeight} read only that), images over the pixel limit are
 * refused there (a decompression bomb is a few KB declaring gigapixels), and where the first operation is a
 * large downscale the reader subsamples while decoding, so a 12-megapixel JPEG bound for a thumbnail never
 * exists at full size in memory.
 */
public final class ImageDecoder {
    static final Set<String> SUPPORTED = Set.of("png", "jpeg", "gif", "bmp");

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public Decoded decode(byte[] bytes, List<Operation> operations) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return new Decoded.Refused(ImageReasons.UNSUPPORTED_FORMAT, "not a recognised image format");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (format.equals("jpg")) {
                    format = "jpeg";
                }
                if (!SUPPORTED.contains(format)) {
                    return new Decoded.Refused(ImageReasons.UNSUPPORTED_FORMAT, format + " is not supported (png, jpeg, gif, bmp)");
                }
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || (long) w * h > maxPixels) {
                    return new Decoded.Refused(ImageReasons.IMAGE_TOO_LARGE,
                            w + "x" + h + " is over the limit of " + maxPixels + " pixels");
                }
                int orientation = format.equals("jpeg") ? ExifOrientation.read(bytes) : ExifOrientation.NORMAL;
                int subsampling = subsampling(w, h, orientation, operations);
                ImageReadParam param = reader.getDefaultReadParam();
                if (subsampling > 1) {
                    param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                }
                BufferedImage raw = reader.read(0, param);
                BufferedImage upright = ImageOps.orient(ImageOps.normalize(raw), orientation);
                return new Decoded.Image(upright, format, w, h, subsampling);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports broken data as IIOException and sometimes as runtime exceptions from codecs.
            return new Decoded.Refused(ImageReasons.INVALID_IMAGE, "cannot decode the image: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The subsampling factor when the operations start with a downscale (grayscale before it does not
     * matter): as large as leaves at least twice the target size, so the final bilinear steps still
     * have pixels to average. 1 otherwise.
     */
    static int subsampling(int w, int h, int orientation, List<Operation> operations) {
        int ow = orientation >= 5 ? h : w;
        int oh = orientation >= 5 ? w : h;
        for (Operation op : operations) {
            if (op instanceof Operation.Grayscale) {
                continue;
            }
            if (op instanceof Operation.Resize r) {
                int[] size = ImageOps.resizedSize(ow, oh, r);
                double scale = Math.max((double) size[0] / ow, (double) size[1] / oh);
                return Math.max(1, (int) Math.floor(1 / (2 * scale)));
            }
            return 1;
        }
        return 1;
    }
}
