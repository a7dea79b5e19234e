package io.warren.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** An SVG bar chart of p50 / p90 / p99 latency per contender. */
final class LatencyChart {
    private LatencyChart() {
    }

    static void write(Path file, String title, Map<String, Latencies> byContender) throws IOException {
        double[] qs = {0.5, 0.9, 0.99};
        String[] colors = {"#4C78A8", "#F58518", "#E45756"};
        double max = 1;
        for (Latencies l : byContender.values()) {
            max = Math.max(max, l.quantileMicros(0.99));
        }
        int rowHeight = 60;
        int width = 900;
        int left = 330;
        int height = 70 + rowHeight * byContender.size();
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"13\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"10\" y=\"22\" font-size=\"16\">").append(escape(title)).append("</text>\n");
        for (int i = 0; i < qs.length; i++) {
            svg.append("<rect x=\"").append(left + i * 90).append("\" y=\"32\" width=\"12\" height=\"12\" fill=\"")
                    .append(colors[i]).append("\"/><text x=\"").append(left + 16 + i * 90).append("\" y=\"43\">p")
                    .append(Math.round(qs[i] * 100)).append("</text>\n");
        }
        int y = 60;
        for (Map.Entry<String, Latencies> e : byContender.entrySet()) {
            svg.append("<text x=\"10\" y=\"").append(y + 28).append("\">").append(escape(e.getKey())).append("</text>\n");
            for (int i = 0; i < qs.length; i++) {
                double v = e.getValue().quantileMicros(qs[i]);
                int w = (int) Math.max(1, (width - left - 90) * v / max);
                int by = y + 4 + i * 16;
                svg.append("<rect x=\"").append(left).append("\" y=\"").append(by).append("\" width=\"").append(w)
                        .append("\" height=\"14\" fill=\"").append(colors[i]).append("\"/>");
                svg.append("<text x=\"").append(left + w + 4).append("\" y=\"").append(by + 12).append("\">")
                        .append(String.format("%.0f µs", v)).append("</text>\n");
            }
            y += rowHeight;
        }
        svg.append("</svg>\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, svg.toString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
