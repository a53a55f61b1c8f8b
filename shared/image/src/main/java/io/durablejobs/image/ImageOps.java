package io.durablejobs.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * The pixel work on an image in {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB} (what {@link ImageDecoder}
 * hands out). Each method returns a new image and leaves its argument alone.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /** Copies into RGB (or ARGB when there is alpha): the one layout the other operations work on. */
    public static BufferedImage normalize(BufferedImage img) {
        int type = img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (img.getType() == type) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), type);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Applies an EXIF orientation (1..8), giving the image as it is meant to be seen. */
    public static BufferedImage orient(BufferedImage img, int orientation) {
        int w = img.getWidth();
        int h = img.getHeight();
        // x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12; constructor order (m00, m10, m01, m11, m02, m12).
        return switch (orientation) {
            case 2 -> transform(img, new AffineTransform(-1, 0, 0, 1, w, 0), w, h);
            case 3 -> transform(img, new AffineTransform(-1, 0, 0, -1, w, h), w, h);
            case 4 -> transform(img, new AffineTransform(1, 0, 0, -1, 0, h), w, h);
            case 5 -> transform(img, new AffineTransform(0, 1, 1, 0, 0, 0), h, w);
            case 6 -> transform(img, new AffineTransform(0, 1, -1, 0, h, 0), h, w);
            case 7 -> transform(img, new AffineTransform(0, -1, -1, 0, h, w), h, w);
            case 8 -> transform(img, new AffineTransform(0, -1, 1, 0, 0, w), h, w);
            default -> img;
        };
    }

    /** Clockwise by 0, 90, 180 or 270 degrees. */
    public static BufferedImage rotate(BufferedImage img, int degrees) {
        return switch (Math.floorMod(degrees, 360)) {
            case 90 -> orient(img, 6);
            case 180 -> orient(img, 3);
            case 270 -> orient(img, 8);
            default -> img;
        };
    }

    private static BufferedImage transform(BufferedImage img, AffineTransform at, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, img.getType());
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(img, at, null);
        g.dispose();
        return out;
    }

    /** The rectangle; the caller has checked it lies inside the image. */
    public static BufferedImage crop(BufferedImage img, int x, int y, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, img.getType());
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, w, h, x, y, x + w, y + h, null);
        g.dispose();
        return out;
    }

    /** Luma (Rec. 601) in each of R, G and B; alpha kept. */
    public static BufferedImage grayscale(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), img.getType());
        int[] src = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            int y = (299 * r + 587 * g + 114 * b + 500) / 1000;
            dst[i] = (p & 0xff000000) | (y << 16) | (y << 8) | y;
        }
        return out;
    }

    /** The size a resize gives a {@code w} × {@code h} image (before a cover's crop). */
    public static int[] resizedSize(int w, int h, Operation.Resize r) {
        if (r.width() == null) {
            return new int[] {Math.max(1, (int) Math.round((double) w * r.height() / h)), r.height()};
        }
        if (r.height() == null) {
            return new int[] {r.width(), Math.max(1, (int) Math.round((double) h * r.width() / w))};
        }
        double sx = (double) r.width() / w;
        double sy = (double) r.height() / h;
        return switch (r.fit()) {
            case FILL -> new int[] {r.width(), r.height()};
            case CONTAIN -> {
                double s = Math.min(sx, sy);
                yield new int[] {Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s))};
            }
            case COVER -> {
                double s = Math.max(sx, sy);
                yield new int[] {Math.max(r.width(), (int) Math.round(w * s)), Math.max(r.height(), (int) Math.round(h * s))};
            }
        };
    }

    public static BufferedImage resize(BufferedImage img, Operation.Resize r) {
        int[] size = resizedSize(img.getWidth(), img.getHeight(), r);
        BufferedImage scaled = scale(img, size[0], size[1]);
        if (r.fit() == Fit.COVER && r.width() != null && r.height() != null) {
            int x = (scaled.getWidth() - r.width()) / 2;
            int y = (scaled.getHeight() - r.height()) / 2;
            return crop(scaled, x, y, r.width(), r.height());
        }
        return scaled;
    }

    /**
     * Bilinear, halving step by step while the image is more than twice the target: one big bilinear step
     * would skip most source pixels and alias; repeated halving averages them at a fraction of bicubic's cost.
     */
    public static BufferedImage scale(BufferedImage img, int tw, int th) {
        BufferedImage current = img;
        while (current.getWidth() / 2 >= tw && current.getHeight() / 2 >= th) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() == tw && current.getHeight() == th) {
            return current;
        }
        boolean up = tw > current.getWidth() || th > current.getHeight();
        return draw(current, tw, th, up ? RenderingHints.VALUE_INTERPOLATION_BICUBIC : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }

    private static BufferedImage draw(BufferedImage img, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, img.getType());
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Flattens alpha onto white: JPEG has no alpha channel. */
    public static BufferedImage opaque(BufferedImage img) {
        if (!img.getColorModel().hasAlpha()) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }
}
