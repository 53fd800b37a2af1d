package com.numbersrouter.operations;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's TLS settings, as an operator without a proxy sets them: the webhook port serves HTTPS from a Spring
 * Boot SSL bundle (Bandwidth then sends its Basic credentials, PINs and subscriber data encrypted), and alert mail
 * goes to an SMTP server over TLS through spring.mail.properties. The certificate is made here with the JDK's keytool.
 */
@IsolatedNode
class TransportSecurityEndToEndTest {

    private static final String STORE_PASSWORD = "changeit-for-tests";
    private static final Path KEYSTORE = webhookKeystore();
    private static final TestBroker BROKER = TestBroker.start("tls-broker");
    private static final GreenMail SMTPS = smtpsServer();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.jks.webhook.keystore.location", () -> "file:" + KEYSTORE);
        registry.add("spring.ssl.bundle.jks.webhook.keystore.password", () -> STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.webhook.keystore.type", () -> "PKCS12");
        registry.add("server.ssl.bundle", () -> "webhook");
        registry.add("spring.activemq.broker-url", BROKER::url);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTPS.getSmtps().getPort());
        registry.add("spring.mail.properties.mail.smtp.ssl.enable", () -> "true");
        // GreenMail's own certificate, which names no host. Against a real server neither is set: the JVM's trust
        // store decides, and the host name is checked (Angus Mail's default, which refused GreenMail's certificate).
        registry.add("spring.mail.properties.mail.smtp.ssl.trust", () -> "127.0.0.1");
        registry.add("spring.mail.properties.mail.smtp.ssl.checkserveridentity", () -> "false");
    }

    @AfterAll
    static void stopServers() {
        SMTPS.stop();
        BROKER.stop();
    }

    @Test
    void bandwidthsChallengeFlowWorksOverHttpsAndTheOrderIsStored() throws Exception {
        BandwidthClient client = BandwidthClient.bandwidthOverTls(port, trusting(KEYSTORE));

        assertThat(client.post("/webhooks/bandwidth", Orders.numbered(1)).statusCode()).isEqualTo(200);
        assertThat(BROKER.receive("bandwidth.orders").getStringProperty("OrderId")).isEqualTo(Orders.id(1));
        assertThat(client.post("/webhooks/bandwidth/portout-validation", Payloads.read("portout/valid.xml")).body())
                .contains("<Portable>true</Portable>");
    }

    /**
     * The bundle is the webhook port's: the management port stays plain HTTP, which the image's health check, the
     * Kubernetes probes and Prometheus speak (Spring Boot would otherwise give it the same TLS).
     */
    @Test
    void theManagementPortStaysPlainHttpForProbesAndScrapers() {
        assertThat(new Management(managementPort).health()).contains("\"status\":\"UP\"");
    }

    @Test
    void alertMailGoesOverTls() throws Exception {
        BandwidthClient client = BandwidthClient.bandwidthOverTls(port, trusting(KEYSTORE));

        assertThat(client.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode()).isEqualTo(200);

        await().atMost(30, TimeUnit.SECONDS).until(() -> SMTPS.getReceivedMessages().length > 0);
        MimeMessage mail = SMTPS.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[numbers-router] MESSAGING_LOST: 2 numbers affected");
    }

    /** A self-signed certificate for 127.0.0.1, as an operator would get one for their host name. */
    private static Path webhookKeystore() {
        Path keystore = TempFolders.create("numbers-router-tls").resolve("webhook.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        try {
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "webhook", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return keystore;
        } catch (Exception e) {
            throw new IllegalStateException("Could not make the test certificate", e);
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    private static GreenMail smtpsServer() {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort());
        greenMail.start();
        return greenMail;
    }
}
