package io.durablejobs.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes the result as PNG, or JPEG at a quality (alpha flattened onto white). */
public final class ImageEncoder {
    private ImageEncoder() {
    }

    public static byte[] encode(BufferedImage img, OutputFormat format, int quality) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        BufferedImage toWrite = format == OutputFormat.JPEG ? ImageOps.opaque(img) : img;
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format.imageIoName()).next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == OutputFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
            }
            writer.write(null, new IIOImage(toWrite, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
