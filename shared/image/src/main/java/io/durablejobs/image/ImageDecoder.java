package io.durablejobs.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an input image with its memory bounded before any pixel is read: {@link #header} reports the
 * declared size ({@code getWidth}/{@code getHeight} read only the header), images over the pixel limit are
 * refused there (a decompression bomb is a few KB declaring gigapixels), and the caller can reserve memory
 * for the decode before {@link #decode} runs it. Where the first operation is a large downscale the reader
 * subsamples while decoding, so a 12-megapixel JPEG bound for a thumbnail never exists at full size in
 * memory. A stream that ends early is refused: the JPEG reader only warns about it and fills the missing
 * rows with grey, which would otherwise be stored as a successful result.
 */
public final class ImageDecoder {
    static final Set<String> SUPPORTED = Set.of("png", "jpeg", "gif", "bmp");

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** What the header says, and how the image will be decoded for {@code operations}. */
    public record Header(String format, int width, int height, int orientation, int subsampling) implements Decoded {
    }

    /** The header of {@code bytes}, or why the image is refused without decoding it. */
    public Decoded header(byte[] bytes, List<Operation> operations) {
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
                return new Header(format, w, h, orientation, subsampling(w, h, orientation, operations));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return new Decoded.Refused(ImageReasons.INVALID_IMAGE, "cannot read the image header: " + e.getClass().getSimpleName());
        }
    }

    /** Header and pixels in one go. */
    public Decoded decode(byte[] bytes, List<Operation> operations) {
        Decoded header = header(bytes, operations);
        return header instanceof Header h ? decode(bytes, h) : header;
    }

    /** The pixels, upright and subsampled as {@code header} says. */
    public Decoded decode(byte[] bytes, Header header) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            List<String> warnings = new ArrayList<>();
            IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
            reader.addIIOReadWarningListener(listener);
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                if (header.subsampling() > 1) {
                    param.setSourceSubsampling(header.subsampling(), header.subsampling(), 0, 0);
                }
                BufferedImage raw = reader.read(0, param);
                for (String w : warnings) {
                    if (isMissingData(w)) {
                        return new Decoded.Refused(ImageReasons.INVALID_IMAGE, "the image data is truncated or corrupt: " + w);
                    }
                }
                BufferedImage upright = ImageOps.orient(ImageOps.normalize(raw), header.orientation());
                return new Decoded.Image(upright, header.format(), header.width(), header.height(), header.subsampling());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports broken data as IIOException and sometimes as runtime exceptions from codecs.
            return new Decoded.Refused(ImageReasons.INVALID_IMAGE, "cannot decode the image: " + e.getClass().getSimpleName());
        }
    }

    /**
     * A decoder warning that pixels are missing (libjpeg's "Premature end of JPEG file", a truncated
     * stream): the image would be partly grey. Other warnings (extraneous bytes between markers, an odd
     * ICC profile) are common in real photos that show fine, so they do not refuse the image.
     */
    static boolean isMissingData(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncat") || w.contains("unexpected end");
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

    /**
     * The largest raster, in pixels, that any step of decoding {@code header} and applying {@code operations}
     * holds: what {@link MemoryBudget#cost} is estimated from before a pixel is decoded.
     */
    static long peakPixels(Header header, List<Operation> operations) {
        int s = header.subsampling();
        long w = (header.width() + s - 1) / s;
        long h = (header.height() + s - 1) / s;
        if (header.orientation() >= 5) {
            long t = w;
            w = h;
            h = t;
        }
        long peak = w * h;
        for (Operation op : operations) {
            if (op instanceof Operation.Resize r) {
                int[] size = ImageOps.resizedSize((int) w, (int) h, r);
                peak = Math.max(peak, (long) size[0] * size[1]);
                boolean cover = r.fit() == Fit.COVER && r.width() != null && r.height() != null;
                w = cover ? r.width() : size[0];
                h = cover ? r.height() : size[1];
            } else if (op instanceof Operation.Crop c) {
                w = Math.min(w, c.width());
                h = Math.min(h, c.height());
            } else if (op instanceof Operation.Rotate r && Math.floorMod(r.degrees(), 180) == 90) {
                long t = w;
                w = h;
                h = t;
            }
            peak = Math.max(peak, w * h);
        }
        return peak;
    }
}
