package io.blockbuster.benchmarks.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws a {@link Soak} CSV as a small PNG: one panel per footprint column (heap after GC, RSS, file
 * descriptors, threads, hub connections) against minutes, each scaled from zero so that growth shows.
 *
 * <pre>java -cp benchmarks.jar io.blockbuster.benchmarks.soak.SoakPlot soak.csv soak.png</pre>
 */
public final class SoakPlot {
    private static final String[] COLUMNS = {"heap_after_gc_mib", "rss_mib", "fds", "threads", "hub_connections"};
    private static final int PANEL_W = 300;
    private static final int PANEL_H = 180;

    private SoakPlot() {
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = List.of(lines.get(0).split(","));
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] row = new double[cells.length];
            for (int i = 0; i < cells.length; i++) {
                row[i] = Double.parseDouble(cells[i]);
            }
            rows.add(row);
        }
        BufferedImage image = new BufferedImage(PANEL_W * COLUMNS.length, PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double maxMinute = rows.get(rows.size() - 1)[0];
        for (int p = 0; p < COLUMNS.length; p++) {
            int column = header.indexOf(COLUMNS[p]);
            double max = 0;
            for (double[] row : rows) {
                max = Math.max(max, row[column]);
            }
            max = max <= 0 ? 1 : max * 1.15;
            int x0 = p * PANEL_W + 40;
            int y0 = PANEL_H - 25;
            int w = PANEL_W - 55;
            int h = PANEL_H - 50;
            g.setColor(Color.GRAY);
            g.drawLine(x0, y0, x0 + w, y0);
            g.drawLine(x0, y0, x0, y0 - h);
            g.setColor(Color.BLACK);
            g.drawString(COLUMNS[p], x0, 15);
            g.drawString(String.format("%.0f", max), x0 - 35, y0 - h + 4);
            g.drawString("0", x0 - 12, y0 + 4);
            g.drawString("minutes 0-" + (int) maxMinute, x0 + w / 2 - 30, y0 + 18);
            g.setColor(new Color(0x1f77b4));
            g.setStroke(new BasicStroke(2f));
            for (int i = 1; i < rows.size(); i++) {
                double[] a = rows.get(i - 1);
                double[] b = rows.get(i);
                g.drawLine(x0 + (int) (a[0] / maxMinute * w), y0 - (int) (a[column] / max * h),
                        x0 + (int) (b[0] / maxMinute * w), y0 - (int) (b[column] / max * h));
            }
            g.setStroke(new BasicStroke(1f));
        }
        g.dispose();
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
    }
}
