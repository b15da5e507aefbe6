/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.criticaltask.sample.dashboard;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws a dashboard's panels as a PNG, in a grid like Grafana's, each panel's queries
 * evaluated over the scrapes of a real run. Headless AWT: no display needed.
 */
final class DashboardPicture {

    private static final int PANEL_WIDTH = 640;

    private static final int PANEL_HEIGHT = 280;

    private static final int GAP = 12;

    private static final Color BACKGROUND = new Color(17, 18, 23);

    private static final Color PANEL = new Color(24, 27, 31);

    private static final Color GRID = new Color(44, 48, 54);

    private static final Color TEXT = new Color(204, 204, 220);

    private static final Color[] PALETTE = { new Color(115, 191, 105), new Color(242, 204, 12), new Color(87, 148, 242),
            new Color(255, 120, 10), new Color(242, 73, 92), new Color(184, 119, 217), new Color(112, 219, 237),
            new Color(255, 152, 48) };

    /** One panel: its title and its lines, by legend, one value per scrape. */
    record Panel(String title, Map<String, double[]> lines) {
    }

    private DashboardPicture() {
    }

    static void write(String title, List<Panel> panels, double[] times, Path file) throws IOException {
        int columns = 2;
        int rows = (panels.size() + columns - 1) / columns;
        int width = GAP + columns * (PANEL_WIDTH + GAP);
        int height = 48 + rows * (PANEL_HEIGHT + GAP);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, GAP, 30);
            for (int i = 0; i < panels.size(); i++) {
                int x = GAP + (i % columns) * (PANEL_WIDTH + GAP);
                int y = 48 + (i / columns) * (PANEL_HEIGHT + GAP);
                draw(g, panels.get(i), times, x, y);
            }
        }
        finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void draw(Graphics2D g, Panel panel, double[] times, int x, int y) {
        g.setColor(PANEL);
        g.fillRoundRect(x, y, PANEL_WIDTH, PANEL_HEIGHT, 6, 6);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(panel.title(), x + 10, y + 20);
        int legendRows = Math.max(1, (panel.lines().size() + 2) / 3);
        int left = x + 48;
        int right = x + PANEL_WIDTH - 14;
        int top = y + 34;
        int bottom = y + PANEL_HEIGHT - 24 - 16 * legendRows;
        double max = 0;
        for (double[] line : panel.lines().values()) {
            for (double value : line) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        // four grid steps of a round size
        max = 4 * niceCeiling(max / 4);
        double end = times.length > 0 ? times[times.length - 1] : 1;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int tick = 0; tick <= 4; tick++) {
            int ty = bottom - (bottom - top) * tick / 4;
            g.setColor(GRID);
            g.drawLine(left, ty, right, ty);
            g.setColor(TEXT);
            g.drawString(format(max * tick / 4), x + 8, ty + 4);
        }
        for (int tick = 0; tick <= 5; tick++) {
            int tx = left + (right - left) * tick / 5;
            g.setColor(GRID);
            g.drawLine(tx, top, tx, bottom);
            g.setColor(TEXT);
            g.drawString(String.format(Locale.ROOT, "%.0f s", end * tick / 5), tx - 10, bottom + 14);
        }
        int colour = 0;
        int legendX = x + 10;
        int legendY = bottom + 32;
        g.setStroke(new BasicStroke(2f));
        for (Map.Entry<String, double[]> line : panel.lines().entrySet()) {
            Color color = PALETTE[colour++ % PALETTE.length];
            g.setColor(color);
            Path2D.Double path = new Path2D.Double();
            boolean drawing = false;
            double[] values = line.getValue();
            for (int i = 0; i < values.length; i++) {
                if (Double.isNaN(values[i])) {
                    drawing = false;
                    continue;
                }
                double px = left + (right - left) * (end > 0 ? times[i] / end : 0);
                double py = bottom - (bottom - top) * (max > 0 ? values[i] / max : 0);
                if (drawing) {
                    path.lineTo(px, py);
                }
                else {
                    path.moveTo(px, py);
                    drawing = true;
                }
            }
            g.draw(path);
            for (int i = 0; i < values.length; i++) {
                boolean alone = !Double.isNaN(values[i]) && (i == 0 || Double.isNaN(values[i - 1]))
                        && (i == values.length - 1 || Double.isNaN(values[i + 1]));
                if (alone) {
                    // a value of one scrape only (a failure, the last scrape): a dot
                    double px = left + (right - left) * (end > 0 ? times[i] / end : 0);
                    double py = bottom - (bottom - top) * (max > 0 ? values[i] / max : 0);
                    g.fillOval((int) px - 4, (int) py - 4, 8, 8);
                }
            }
            g.fillRect(legendX, legendY - 8, 14, 4);
            g.setColor(TEXT);
            String legend = line.getKey().length() > 30 ? line.getKey().substring(0, 29) + "…" : line.getKey();
            g.drawString(legend, legendX + 18, legendY - 3);
            legendX += 205;
            if (legendX > x + PANEL_WIDTH - 200) {
                legendX = x + 10;
                legendY += 16;
            }
        }
        if (panel.lines().isEmpty()) {
            g.setColor(TEXT);
            g.drawString("No data", (left + right) / 2 - 20, (top + bottom) / 2);
        }
    }

    private static double niceCeiling(double max) {
        if (max <= 0) {
            return 0.25;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }

}
