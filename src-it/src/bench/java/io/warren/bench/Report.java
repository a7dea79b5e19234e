package io.warren.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects result rows and writes them as a Markdown document. */
final class Report {
    private final List<String> lines = new ArrayList<>();

    void heading(String text) {
        lines.add("");
        lines.add("## " + text);
        lines.add("");
        System.out.println("\n== " + text);
    }

    void text(String text) {
        lines.add(text);
        System.out.println(text);
    }

    void table(String... header) {
        lines.add("| " + String.join(" | ", header) + " |");
        lines.add("|" + "---|".repeat(header.length));
    }

    void row(String... cells) {
        lines.add("| " + String.join(" | ", cells) + " |");
        System.out.println("  " + String.join("  |  ", cells));
    }

    void write(Path file, String preamble) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, preamble + String.join("\n", lines) + "\n");
    }
}
