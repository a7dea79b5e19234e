package io.warren.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The figures of one contender over several rounds: median with min and max. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    void add(double v) {
        values.add(v);
    }

    double last() {
        return values.get(values.size() - 1);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    double median() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return Collections.min(values);
    }

    double max() {
        return Collections.max(values);
    }

    /** "12,345 (11,900-12,800)" */
    String describe(String format) {
        return String.format(format, median()) + " (" + String.format(format, min()) + "–" + String.format(format, max()) + ")";
    }
}
