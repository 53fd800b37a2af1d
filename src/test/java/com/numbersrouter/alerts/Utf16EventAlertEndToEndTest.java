package com.numbersrouter.alerts;

import java.nio.charset.StandardCharsets;

import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A UTF-16 event notification must become an alert like any other (and not block the alerts behind it). */
class Utf16EventAlertEndToEndTest extends NodeTest {

    @Test
    void utf16EventIsAlerted() throws Exception {
        String event = Payloads.read("events/messaging-lost.xml").replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        byte[] body = event.getBytes(StandardCharsets.UTF_16); // BOM + big endian
        int before = SMTP.getReceivedMessages().length;

        assertThat(bandwidth().post("/webhooks/bandwidth", body, "Content-Type", "application/xml").statusCode()).isEqualTo(200);

        assertThat(SMTP.waitForIncomingEmail(15_000, before + 1)).as("an alert mail").isTrue();
        MimeMessage[] all = SMTP.getReceivedMessages();
        assertThat(all[all.length - 1].getSubject()).contains("MESSAGING_LOST");
    }
}
