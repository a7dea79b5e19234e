package io.warren.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What this JVM spent between two points: CPU time and context switches summed over its live
 * threads from {@code /proc/self/task} (every thread, client and server alike, GC included), less
 * the JIT compiler's threads: at a few hundred calls a second the compiler still at work would
 * otherwise weigh more than the calls.
 * Both depend less on what else runs on the machine than a rate does, which on a shared 2-core
 * machine is mostly the scheduler's mood. Context switches are counted only on Linux; elsewhere
 * they read as 0.
 */
final class ProcessCost {
    final long cpuNanos;
    final long voluntarySwitches;
    final long involuntarySwitches;

    private ProcessCost(long cpuNanos, long voluntarySwitches, long involuntarySwitches) {
        this.cpuNanos = cpuNanos;
        this.voluntarySwitches = voluntarySwitches;
        this.involuntarySwitches = involuntarySwitches;
    }

    static ProcessCost now() {
        long[] counts = new long[3];
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            return new ProcessCost(cpu, 0, 0);
        }
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> add(task, counts));
        } catch (IOException e) {
            // the counts stay as far as they got
        }
        return new ProcessCost(counts[2], counts[0], counts[1]);
    }

    private static void add(Path task, long[] counts) {
        try {
            String comm = Files.readString(task.resolve("comm")).trim();
            if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                return;
            }
            long[] switches = counts;
            String schedstat = Files.readString(task.resolve("schedstat")).trim();
            counts[2] += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
            for (String line : Files.readAllLines(task.resolve("status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    switches[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    switches[1] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a thread that ended while being read: it is not counted
        }
    }

    /** @return what was spent from {@code start} to this */
    ProcessCost since(ProcessCost start) {
        return new ProcessCost(cpuNanos - start.cpuNanos, voluntarySwitches - start.voluntarySwitches,
                involuntarySwitches - start.involuntarySwitches);
    }
}
