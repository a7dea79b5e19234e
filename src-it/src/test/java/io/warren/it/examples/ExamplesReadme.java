package io.warren.it.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What examples/README.md shows of the demo: the banner the command prints (the first fenced
 * block that starts with {@code [demo]}), and each {@code $ curl ...} line with the output shown
 * under it. Read so that DemoIT can hold the page to what the demo really does.
 */
final class ExamplesReadme {
    /** One documented command and the lines shown as its output. */
    static final class Shown {
        final String command;
        final String output;

        Shown(String command, String output) {
            this.command = command;
            this.output = output;
        }

        @Override
        public String toString() {
            return "$ " + command;
        }
    }

    private final List<String> banner = new ArrayList<>();
    private final List<Shown> commands = new ArrayList<>();

    private ExamplesReadme(List<String> lines) {
        boolean inBlock = false;
        List<String> block = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("```")) {
                if (inBlock) {
                    take(block);
                    block.clear();
                }
                inBlock = !inBlock;
            } else if (inBlock) {
                block.add(line);
            }
        }
    }

    private void take(List<String> block) {
        if (banner.isEmpty() && !block.isEmpty() && block.get(0).startsWith("[demo]")) {
            banner.addAll(block);
            return;
        }
        String command = null;
        StringBuilder output = new StringBuilder();
        for (String line : block) {
            if (line.startsWith("$ ")) {
                if (command != null) {
                    commands.add(new Shown(command, output.toString().strip()));
                }
                command = line.substring(2);
                output.setLength(0);
            } else if (command != null) {
                output.append(line).append('\n');
            }
        }
        if (command != null) {
            commands.add(new Shown(command, output.toString().strip()));
        }
    }

    static ExamplesReadme read(Path file) {
        try {
            return new ExamplesReadme(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** @return the banner block's lines, as shown */
    List<String> banner() {
        return banner;
    }

    /** @return every {@code $ } line of the page with its shown output, in page order */
    List<Shown> commands() {
        return commands;
    }
}
