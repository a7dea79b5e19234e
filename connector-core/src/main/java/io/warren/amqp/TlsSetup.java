package io.warren.amqp;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.ConfigException;
import io.warren.ConnectorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for {@code amqps://} and {@code ssl=true}, from oslo's options: {@code ssl_ca_file} (PEM
 * certificates to trust; the JVM's trust store when empty), {@code ssl_cert_file} +
 * {@code ssl_key_file} (PEM client certificate and unencrypted PKCS#8 key, optional),
 * {@code ssl_version} (e.g. TLSv1.3; the JVM's default when empty). Host names are verified unless
 * {@code ssl_enforce_hostname_verification=false}.
 */
final class TlsSetup {
    private TlsSetup() {
    }

    static void apply(ConnectionFactory factory, ConnectorConfig config, String host) throws IOException {
        try {
            String protocol = config.sslVersion().isEmpty() ? "TLS" : config.sslVersion();
            SSLContext context = SSLContext.getInstance(protocol);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (config.sslCaFile().isEmpty()) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : readCertificates(Path.of(config.sslCaFile()), "ssl_ca_file")) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (!config.sslCertFile().isEmpty() || !config.sslKeyFile().isEmpty()) {
                if (config.sslCertFile().isEmpty() || config.sslKeyFile().isEmpty()) {
                    throw new ConfigException("options ssl_cert_file and ssl_key_file must be set together", "ssl_cert_file");
                }
                List<Certificate> chain = readCertificates(Path.of(config.sslCertFile()), "ssl_cert_file");
                PrivateKey key = readKey(Path.of(config.sslKeyFile()));
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                char[] none = new char[0];
                keys.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            javax.net.ssl.TrustManager[] trust = tmf.getTrustManagers();
            if (!config.sslEnforceHostnameVerification()) {
                trust = chainOnly(trust);
            }
            context.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
            // Not useSslProtocol(context): in amqp-client 5.37 it turns host-name verification on
            // whatever we ask, so ssl_enforce_hostname_verification=false would be ignored.
            factory.setSocketFactory(context.getSocketFactory());
            factory.setSslContextFactory(connectionName -> context);
            if (config.sslEnforceHostnameVerification()) {
                factory.enableHostnameVerification();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed for " + host + ": " + e.getMessage(), e);
        }
    }

    /**
     * With ssl_enforce_hostname_verification=false: the certificate chain is still checked against
     * the trusted CAs, only the host name is not. (The socket may ask for endpoint identification
     * whatever Warren configures; the two-argument check ignores it.)
     */
    private static javax.net.ssl.TrustManager[] chainOnly(javax.net.ssl.TrustManager[] managers) {
        javax.net.ssl.TrustManager[] out = managers.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof javax.net.ssl.X509TrustManager x) {
                out[i] = new ChainOnlyTrustManager(x);
            }
        }
        return out;
    }

    /** Chain validation without host-name checking. */
    private static final class ChainOnlyTrustManager extends javax.net.ssl.X509ExtendedTrustManager {
        private final javax.net.ssl.X509TrustManager delegate;

        ChainOnlyTrustManager(javax.net.ssl.X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket)
                throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    private static List<Certificate> readCertificates(Path file, String option) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(file)) {
            throw new ConfigException("option " + option + ": cannot read '" + file + "'", option);
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException("option " + option + ": no certificate in '" + file + "'", option);
            }
            return new ArrayList<>(certs);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(file)) {
            throw new ConfigException("option ssl_key_file: cannot read '" + file + "'", "ssl_key_file");
        }
        String pem = Files.readString(file);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new ConfigException("option ssl_key_file: '" + file
                    + "' must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); convert with "
                    + "'openssl pkcs8 -topk8 -nocrypt'", "ssl_key_file");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException("option ssl_key_file: '" + file + "' holds no RSA, EC or Ed25519 key", "ssl_key_file");
    }
}
