package io.durablejobs.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * A latency-by-percentile chart (HdrHistogram's usual view: x is 1/(1-p) on a log scale, so the tail is
 * visible), drawn with Java2D: a few lines of drawing beat adding a charting library to the build.
 */
final class LatencyPlot {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)};
    private static final double[] PERCENTILES = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99};

    private LatencyPlot() {
    }

    static void write(Map<String, Histogram> series, String title, File out) throws IOException {
        int w = 960, h = 520, left = 80, right = 280, top = 50, bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double maxMs = 1;
        for (Histogram hist : series.values()) {
            if (hist.getTotalCount() > 0) {
                maxMs = Math.max(maxMs, hist.getValueAtPercentile(99.99) / 1000.0);
            }
        }
        maxMs = niceCeiling(maxMs);
        double maxX = Math.log10(1 / (1 - 0.9999));
        int pw = w - left - right, ph = h - top - bottom;
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(left, top, pw, ph);
        for (double p : PERCENTILES) {
            int x = left + (int) (pw * Math.log10(1 / (1 - p / 100.0)) / maxX);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(x, top + 1, x, top + ph - 1);
            g.setColor(Color.DARK_GRAY);
            g.drawString(p == 0 ? "0" : (p % 1 == 0 ? String.format("%.0f", p) : String.valueOf(p)), x - 10, top + ph + 16);
        }
        for (int i = 0; i <= 5; i++) {
            int y = top + ph - ph * i / 5;
            g.setColor(new Color(0xeeeeee));
            g.drawLine(left + 1, y, left + pw - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.1f", maxMs * i / 5), left - 40, y + 4);
        }
        g.drawString("percentile", left + pw / 2 - 25, h - 20);
        g.drawString("ms", 20, top + ph / 2);
        int i = 0;
        for (Map.Entry<String, Histogram> e : series.entrySet()) {
            Histogram hist = e.getValue();
            Color c = COLORS[i % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            if (hist.getTotalCount() > 0) {
                int px = -1, py = -1;
                for (int step = 0; step <= 400; step++) {
                    double x = maxX * step / 400.0;
                    double pct = 100 * (1 - Math.pow(10, -x));
                    double ms = hist.getValueAtPercentile(pct) / 1000.0;
                    int sx = left + (int) (pw * x / maxX);
                    int sy = top + ph - (int) Math.min(ph, ph * ms / maxMs);
                    if (px >= 0) {
                        g.drawLine(px, py, sx, sy);
                    }
                    px = sx;
                    py = sy;
                }
            }
            g.fillRect(left + pw + 15, top + 10 + i * 22, 14, 4);
            g.setColor(Color.DARK_GRAY);
            g.drawString(e.getKey() + " (n=" + hist.getTotalCount() + ")", left + pw + 35, top + 16 + i * 22);
            i++;
        }
        g.dispose();
        out.getParentFile().mkdirs();
        ImageIO.write(img, "png", out);
    }

    private static double niceCeiling(double v) {
        double base = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (v <= m * base) {
                return m * base;
            }
        }
        return 10 * base;
    }

    static Map<String, Histogram> series() {
        return new LinkedHashMap<>();
    }
}
