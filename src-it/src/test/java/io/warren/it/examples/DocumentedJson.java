package io.warren.it.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an answer is what the docs show: the same members (order aside), the same array
 * lengths, the same values, except for the members that differ from one run to the next (ids,
 * times, the broker's port, counters), whose type must still match.
 */
final class DocumentedJson {
    /** Members whose value is of the run, not of the code. */
    static final Set<String> OF_THE_RUN = Set.of("id", "timestamp", "request_id", "broker", "uptimeSeconds",
            "published", "confirmed", "openChannels");

    private DocumentedJson() {
    }

    /** @return null when {@code actual} matches {@code documented}, else where and how it differs */
    static String mismatch(String path, JsonNode documented, JsonNode actual) {
        if (documented.getNodeType() != actual.getNodeType()) {
            return at(path) + "is a " + actual.getNodeType() + ", the docs show a " + documented.getNodeType();
        }
        if (documented.isObject()) {
            Set<String> want = names(documented);
            Set<String> got = names(actual);
            if (!want.equals(got)) {
                return at(path) + "has members " + got + ", the docs show " + want;
            }
            for (String name : want) {
                JsonNode w = documented.get(name);
                JsonNode g = actual.get(name);
                if (OF_THE_RUN.contains(name) && w.isValueNode()) {
                    if (w.getNodeType() != g.getNodeType()) {
                        return at(path + "." + name) + "is a " + g.getNodeType() + ", the docs show a " + w.getNodeType();
                    }
                    continue;
                }
                String inner = mismatch(path + "." + name, w, g);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (documented.isArray()) {
            if (documented.size() != actual.size()) {
                return at(path) + "has " + actual.size() + " elements, the docs show " + documented.size();
            }
            for (int i = 0; i < documented.size(); i++) {
                String inner = mismatch(path + "[" + i + "]", documented.get(i), actual.get(i));
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        return documented.equals(actual) ? null : at(path) + "is " + actual + ", the docs show " + documented;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String at(String path) {
        return path.isEmpty() ? "the answer " : "member " + (path.startsWith(".") ? path.substring(1) : path) + " ";
    }
}
