package io.warren;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An oslo.messaging transport URL, parsed with oslo's own rules (not a generic URI parser):
 *
 * <pre>
 * rabbit://[user[:pass]@]host[:port][,[user2[:pass2]@]host2[:port2]...]/[vhost][?option=value&amp;...]
 * </pre>
 *
 * <ul>
 *   <li>Schemes {@code rabbit} (oslo's driver name), {@code kombu} (oslo's legacy alias), {@code amqp}
 *       and {@code amqps}; {@code amqps} means TLS and a default port of 5671.
 *   <li>The host list is split on {@code ,}; in each entry the last {@code @} ends the credentials,
 *       which split on the first {@code :}. User, password and virtual host are percent-decoded, so a
 *       password containing {@code @ / , ? # %} must be percent-encoded ({@code p%40ss}). Unlike oslo,
 *       a password with a raw {@code @} or a {@code %} that starts no {@code %XX} escape is refused
 *       here ("percent-encode the password", the password not shown) instead of reaching the broker
 *       as written and failing there with ACCESS_REFUSED.
 *   <li>IPv6 literals go in brackets ({@code [fd00::1]:5672}); a missing or empty port means 5672.
 *   <li>No path, {@code /}, {@code //} and {@code /%2F} all mean the virtual host {@code /}.
 *   <li>{@code rabbit://} alone means {@code guest:guest@localhost:5672}, virtual host {@code /}.
 *   <li>Query parameters are kept in order; a repeated key is joined with {@code ,}; a parameter
 *       without a value is ignored (as oslo does). Which keys are allowed is decided by {@link
 *       ConnectorConfig}.
 * </ul>
 *
 * Immutable. {@link #toString()} never shows a password.
 */
public final class TransportUrl {
    /** The AMQP port used when a host has none. */
    public static final int DEFAULT_PORT = 5672;
    /** The AMQP-over-TLS port used when a host of an {@code amqps} URL has none. */
    public static final int DEFAULT_TLS_PORT = 5671;

    private static final String PART = "transport_url";
    private static final List<String> SCHEMES = List.of("rabbit", "kombu", "amqp", "amqps");

    private final String scheme;
    private final List<Host> hosts;
    private final boolean implicitHost;
    private final String pathVirtualHost;
    private final String rawPathAndQuery;
    private final Map<String, String> query;

    private TransportUrl(
            String scheme,
            List<Host> hosts,
            boolean implicitHost,
            String pathVirtualHost,
            String rawPathAndQuery,
            Map<String, String> query) {
        this.scheme = scheme;
        this.hosts = hosts;
        this.implicitHost = implicitHost;
        this.pathVirtualHost = pathVirtualHost;
        this.rawPathAndQuery = rawPathAndQuery;
        this.query = query;
    }

    /**
     * Parses a transport URL.
     *
     * @param url the URL, e.g. {@code rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost}
     * @return the parsed URL
     * @throws ConfigException naming the part that is wrong; the message never contains a password
     */
    public static TransportUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw fail("transport URL is empty; expected e.g. rabbit://user:password@host:5672/");
        }
        String text = url.strip();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw fail("transport URL has no scheme; expected e.g. rabbit://user:password@host:5672/");
        }
        String scheme = text.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        if (scheme.indexOf('@') >= 0 || scheme.indexOf('/') >= 0) {
            // Whatever precedes the first ':' here is part of a user name or password, not a scheme.
            throw fail("transport URL has no scheme; expected e.g. rabbit://user:password@host:5672/");
        }
        if (scheme.indexOf('+') >= 0) {
            throw fail("transport URL: scheme '" + scheme
                    + "' is a kombu transport passthrough, which Warren does not support; use one of "
                    + SCHEMES);
        }
        if (!SCHEMES.contains(scheme)) {
            throw fail("transport URL: scheme '" + scheme + "' is not supported; use one of " + SCHEMES);
        }
        String rest = text.substring(colon + 1);
        if (!rest.startsWith("//")) {
            throw fail("transport URL: expected '//' after '" + scheme + ":'");
        }
        rest = rest.substring(2);
        if (rest.indexOf('#') >= 0) {
            throw fail("transport URL: '#' is not allowed; percent-encode it as %23 in a user name,"
                    + " password or virtual host");
        }
        int netlocEnd = indexOfAny(rest, "/?");
        String netloc = netlocEnd < 0 ? rest : rest.substring(0, netlocEnd);
        String rawPathAndQuery = netlocEnd < 0 ? "" : rest.substring(netlocEnd);
        if (rawPathAndQuery.indexOf('@') >= 0) {
            // Almost always a password holding an unencoded '/' or '?': say so without echoing anything.
            throw fail("transport URL: '@' after the host list; a user name or password containing"
                    + " '/', '?', ',', '#' or '@' must be percent-encoded (e.g. '@' as %40, '/' as %2F)");
        }
        int q = rawPathAndQuery.indexOf('?');
        String path = q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q);
        String rawQuery = q < 0 ? "" : rawPathAndQuery.substring(q + 1);

        String pathVirtualHost = path.startsWith("/") ? percentDecode(path.substring(1), false) : null;
        Map<String, String> query = parseQuery(rawQuery);

        boolean sensitive = netloc.indexOf('@') >= 0;
        int defaultPort = "amqps".equals(scheme) ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        List<Host> hosts = new ArrayList<>();
        String[] entries = netloc.split(",", -1);
        int position = 0;
        for (String entry : entries) {
            if (entry.isEmpty()) {
                continue; // oslo skips empty entries ("h1,,h2")
            }
            position++;
            hosts.add(parseHost(entry, position, defaultPort, sensitive));
        }
        boolean implicitHost = hosts.isEmpty();
        if (implicitHost) {
            hosts.add(new Host("localhost", defaultPort, false, null, null));
        }
        return new TransportUrl(scheme, List.copyOf(hosts), implicitHost, pathVirtualHost,
                rawPathAndQuery, Collections.unmodifiableMap(query));
    }

    private static Host parseHost(String entry, int position, int defaultPort, boolean sensitive) {
        String username = null;
        String password = null;
        String hostPort = entry;
        int at = entry.lastIndexOf('@');
        if (at >= 0) {
            String credentials = entry.substring(0, at);
            hostPort = entry.substring(at + 1);
            int c = credentials.indexOf(':');
            if (c >= 0) {
                String raw = credentials.substring(c + 1);
                String unencoded = unencoded(raw);
                if (unencoded != null) {
                    throw fail("transport URL: the password of host #" + position + " holds " + unencoded
                            + "; percent-encode the password ('@' as %40, '%' as %25, also '/' '?' '#' ','"
                            + " as %2F %3F %23 %2C); the value is not shown");
                }
                password = percentDecode(raw, false);
                credentials = credentials.substring(0, c);
            }
            username = percentDecode(credentials, false);
        }
        String where = "host #" + position;
        if (hostPort.isEmpty()) {
            throw fail("transport URL: " + where + " has no host name");
        }
        String hostname;
        String portText = null;
        boolean ipv6 = false;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0) {
                throw fail("transport URL: the IPv6 address of " + where + " has no closing ']'");
            }
            hostname = hostPort.substring(1, end);
            ipv6 = true;
            String after = hostPort.substring(end + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw fail("transport URL: unexpected text after the IPv6 address of " + where
                        + " '" + hostname + "'; expected ':port'");
            }
        } else {
            int c = hostPort.indexOf(':');
            if (c >= 0) {
                hostname = hostPort.substring(0, c);
                portText = hostPort.substring(c + 1);
            } else {
                hostname = hostPort;
            }
        }
        if (hostname.isEmpty()) {
            throw fail("transport URL: " + where + " has no host name");
        }
        for (int i = 0; i < hostname.length(); i++) {
            char ch = hostname.charAt(i);
            if (Character.isWhitespace(ch) || "[]/\\?#@".indexOf(ch) >= 0 || (!ipv6 && ch == ':')) {
                throw fail("transport URL: " + where + " has an invalid host name"
                        + (sensitive ? "" : " '" + hostname + "'"));
            }
        }
        int port = defaultPort;
        boolean explicitPort = portText != null && !portText.isEmpty();
        if (explicitPort) {
            port = parsePort(portText);
            if (port < 1) {
                String hint = !ipv6 && portText.indexOf(':') >= 0
                        ? " (an IPv6 address must be written in brackets: [fd00::1]:5672)"
                        : "";
                if (sensitive) {
                    // The "port" may be the tail of a password holding an unencoded ',': never echo it.
                    throw fail("transport URL: the port of " + where + " '" + hostname
                            + "' is not a number from 1 to 65535 (value not shown because the URL holds"
                            + " credentials; a password containing ',' or '/' must be percent-encoded)"
                            + hint);
                }
                throw fail("transport URL: port '" + portText + "' of host '" + hostname
                        + "' is not a number from 1 to 65535" + hint);
            }
        }
        return new Host(hostname, port, explicitPort, username, password);
    }

    /** @return the port, or -1 when the text is not a decimal number from 1 to 65535 */
    private static int parsePort(String text) {
        if (text.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value >= 1 && value <= 65535 ? value : -1;
    }

    /** Python's {@code parse_qs}: '&amp;' separated, pairs without '=' or with an empty value dropped. */
    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0 || eq == pair.length() - 1) {
                continue;
            }
            String key = percentDecode(pair.substring(0, eq), true);
            String value = percentDecode(pair.substring(eq + 1), true);
            query.merge(key, value, (a, b) -> a + "," + b);
        }
        return query;
    }

    /**
     * A password written without percent-encoding: oslo would take a raw '@' or a '%' that starts
     * no escape as they are, and the broker's ACCESS_REFUSED would not say why. Warren refuses them.
     *
     * @return what is wrong, in words that do not quote the password, or null
     */
    private static String unencoded(String rawPassword) {
        boolean at = rawPassword.indexOf('@') >= 0;
        boolean badEscape = false;
        for (int i = rawPassword.indexOf('%'); i >= 0; i = rawPassword.indexOf('%', i + 1)) {
            if (i + 2 >= rawPassword.length() || hex(rawPassword.charAt(i + 1)) < 0 || hex(rawPassword.charAt(i + 2)) < 0) {
                badEscape = true;
                break;
            }
        }
        if (at && badEscape) {
            return "a raw '@' and a '%' that starts no %XX escape";
        }
        if (at) {
            return "a raw '@'";
        }
        return badEscape ? "a '%' that starts no %XX escape" : null;
    }

    /**
     * Percent-decodes like Python's {@code unquote}: UTF-8, and a '%' not followed by two hex digits
     * is kept as it is.
     */
    static String percentDecode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0
                    && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 3;
            } else if (ch == '+' && plusIsSpace) {
                bytes.write(' ');
                i++;
            } else {
                int cp = text.codePointAt(i);
                byte[] encoded = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        if (ch >= 'A' && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return -1;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (for printing user names). */
    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static ConfigException fail(String message) {
        return new ConfigException(message, PART);
    }

    /** @return the scheme in lower case: {@code rabbit}, {@code kombu}, {@code amqp} or {@code amqps} */
    public String scheme() {
        return scheme;
    }

    /**
     * The broker nodes in the order written. Never empty: a URL without hosts ({@code rabbit://})
     * yields one host {@code localhost} with the default port and no credentials.
     *
     * @return the hosts, unmodifiable
     */
    public List<Host> hosts() {
        return hosts;
    }

    /**
     * The virtual host to give the broker: {@code /} when the URL has no path, or the path is
     * {@code /}, {@code //} or {@code /%2F}; otherwise the percent-decoded path without its leading
     * {@code /}.
     *
     * @return the virtual host, never empty
     */
    public String virtualHost() {
        return pathVirtualHost == null || pathVirtualHost.isEmpty() ? "/" : pathVirtualHost;
    }

    /**
     * The virtual host exactly as oslo's parser reports it: null without a path, "" for a lone
     * {@code /}. For comparing with oslo's fixtures; brokers want {@link #virtualHost()}.
     */
    String pathVirtualHost() {
        return pathVirtualHost;
    }

    /** @return true when the URL named no host at all and {@link #hosts()} holds the default */
    boolean hasImplicitHost() {
        return implicitHost;
    }

    /**
     * The query parameters, percent-decoded, in the order first seen; a repeated key holds its values
     * joined with {@code ,}.
     *
     * @return the parameters, unmodifiable
     */
    public Map<String, String> query() {
        return query;
    }

    /**
     * @return true when the scheme itself asks for TLS ({@code amqps}); the {@code ssl} option can ask
     *     for TLS too, see {@link ConnectorConfig#ssl()}
     */
    public boolean isTls() {
        return "amqps".equals(scheme);
    }

    /** @return the URL with every password replaced by {@code ***} */
    public String toSafeString() {
        StringBuilder out = new StringBuilder(scheme).append("://");
        if (!implicitHost) {
            for (int i = 0; i < hosts.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                hosts.get(i).appendTo(out, true);
            }
        }
        return out.append(rawPathAndQuery).toString();
    }

    /** @return the URL with every password replaced by {@code ***}; same as {@link #toSafeString()} */
    @Override
    public String toString() {
        return toSafeString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransportUrl)) {
            return false;
        }
        TransportUrl other = (TransportUrl) o;
        return scheme.equals(other.scheme)
                && hosts.equals(other.hosts)
                && implicitHost == other.implicitHost
                && Objects.equals(pathVirtualHost, other.pathVirtualHost)
                && query.equals(other.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, hosts, implicitHost, pathVirtualHost, query);
    }

    /** One broker node of a transport URL. Immutable; {@link #toString()} never shows the password. */
    public static final class Host {
        private final String hostname;
        private final int port;
        private final boolean explicitPort;
        private final String username;
        private final String password;

        Host(String hostname, int port, boolean explicitPort, String username, String password) {
            this.hostname = hostname;
            this.port = port;
            this.explicitPort = explicitPort;
            this.username = username;
            this.password = password;
        }

        /** @return the host name or IP address; an IPv6 address without its brackets */
        public String hostname() {
            return hostname;
        }

        /** @return the port; the scheme's default (5672, or 5671 for amqps) when the URL gave none */
        public int port() {
            return port;
        }

        /** @return true when the URL wrote the port out (oslo's fixtures say null otherwise) */
        boolean explicitPort() {
            return explicitPort;
        }

        /** @return the percent-decoded user name, or null when the entry had no {@code user@} */
        public String username() {
            return username;
        }

        /**
         * The percent-decoded password. A secret: never log it.
         *
         * @return the password, or null when the entry had no {@code user:password@}
         */
        public String password() {
            return password;
        }

        /** @return {@code host:port}, with an IPv6 address in brackets ({@code [fd00::1]:5672}) */
        public String address() {
            return bracketed() + ":" + port;
        }

        private String bracketed() {
            return hostname.indexOf(':') >= 0 ? "[" + hostname + "]" : hostname;
        }

        void appendTo(StringBuilder out, boolean explicitPortOnly) {
            if (username != null) {
                out.append(percentEncode(username));
                if (password != null) {
                    out.append(":***");
                }
                out.append('@');
            }
            out.append(bracketed());
            if (explicitPort || !explicitPortOnly) {
                out.append(':').append(port);
            }
        }

        /** @return {@code user@host:port} (or {@code host:port}); never the password */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            if (username != null) {
                out.append(percentEncode(username)).append('@');
            }
            return out.append(address()).toString();
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Host)) {
                return false;
            }
            Host other = (Host) o;
            return hostname.equals(other.hostname)
                    && port == other.port
                    && explicitPort == other.explicitPort
                    && Objects.equals(username, other.username)
                    && Objects.equals(password, other.password);
        }

        @Override
        public int hashCode() {
            return Objects.hash(hostname, port, explicitPort, username, password);
        }
    }
}
