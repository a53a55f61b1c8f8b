package io.durablejobs.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Real images made by the tests: quadrant PNGs and JPEGs, an EXIF-rotated JPEG, a CMYK JPEG, a PNG bomb. */
final class TestImages {
    static final Color RED = new Color(220, 20, 20);
    static final Color BLUE = new Color(20, 20, 220);

    private TestImages() {
    }

    /** Left half red, right half blue. */
    static BufferedImage halves(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return img;
    }

    /** Random pixels: compresses badly, so a truncated file loses real image data. */
    static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return img;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static byte[] jpeg(BufferedImage img, float quality) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    /** {@code jpeg} with an EXIF APP1 segment (big-endian TIFF, IFD0 with only Orientation) right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        DataOutputStream t = new DataOutputStream(tiff);
        t.writeBytes("MM");
        t.writeShort(42);
        t.writeInt(8); // IFD0 right after the header
        t.writeShort(1); // one entry
        t.writeShort(0x0112);
        t.writeShort(3); // SHORT
        t.writeInt(1);
        t.writeShort(orientation);
        t.writeShort(0);
        t.writeInt(0); // no next IFD
        byte[] payload = tiff.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(jpeg, 0, 2); // SOI
        o.writeShort(0xFFE1);
        o.writeShort(2 + 6 + payload.length);
        o.write("Exif".getBytes(StandardCharsets.US_ASCII));
        o.writeShort(0);
        o.write(payload);
        o.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * A CMYK JPEG as print workflows (Photoshop) write it: four components, an Adobe APP14 marker with
     * transform 0 (no colour transform), and the values stored inverted as Adobe does. The raster is written by
     * the JDK's writer as four components; the marker is added after SOI.
     */
    static byte[] cmykJpeg(int w, int h, int c, int m, int y, int k) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] pixel = {255 - c, 255 - m, 255 - y, 255 - k};
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                raster.setPixel(xx, yy, pixel);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = jdkJpegWriter();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        byte[] plain = out.toByteArray();
        ByteArrayOutputStream adobe = new ByteArrayOutputStream();
        adobe.write(plain, 0, 2);
        adobe.write(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        adobe.write(plain, 2, plain.length - 2);
        return adobe.toByteArray();
    }

    private static ImageWriter jdkJpegWriter() {
        var it = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter first = null;
        while (it.hasNext()) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
            first = first == null ? w : first;
        }
        return first;
    }

    /**
     * A decompression bomb: a valid PNG a few hundred bytes long whose header declares
     * {@code w} × {@code h} RGB pixels (100000 × 100000 would be 30 GB decoded).
     */
    static byte[] pngBomb(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(ihdr);
        i.writeInt(w);
        i.writeInt(h);
        i.writeByte(8); // bit depth
        i.writeByte(2); // RGB
        i.writeByte(0);
        i.writeByte(0);
        i.writeByte(0);
        chunk(o, "IHDR", ihdr.toByteArray());
        Deflater d = new Deflater(9);
        d.setInput(new byte[64 * 1024]); // the first rows of zeros: compresses to almost nothing
        d.finish();
        byte[] buf = new byte[1024];
        int n = d.deflate(buf);
        d.end();
        byte[] idat = java.util.Arrays.copyOf(buf, n);
        chunk(o, "IDAT", idat);
        chunk(o, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream o, String type, byte[] data) throws IOException {
        o.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        o.write(t);
        o.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        o.writeInt((int) crc.getValue());
    }

    static BufferedImage decode(byte[] bytes) throws IOException {
        return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    }

    static String formatOf(byte[] bytes) throws IOException {
        try (var in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return ImageIO.getImageReaders(in).next().getFormatName().toLowerCase();
        }
    }

    static Color at(BufferedImage img, int x, int y) {
        return new Color(img.getRGB(x, y), true);
    }
}
