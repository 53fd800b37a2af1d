package com.numbersrouter.infra;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * An SMTP server inside the node, for running with nothing installed: alerts are accepted, logged (recipient and
 * subject) and dropped, so the whole flow can be watched from the log. Bound to loopback only.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ZeroConfigCondition.NoSmtpServerConfigured.class)
public class EmbeddedSmtpConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSmtpConfiguration.class);

    @Bean(destroyMethod = "stop")
    public GreenMail embeddedSmtpServer(@Value("${numbers-router.embedded-smtp.port:2525}") int port) {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.getManagers().getUserManager().setMessageDeliveryHandler((message, recipient) -> {
            LOG.info("Alert delivered to {}: {}", recipient.getEmail(), subjectOf(message.getMessage()));
            // GreenMail must file the mail in a mailbox; emptying them first keeps a long dev run from growing.
            try {
                server.purgeEmailFromAllMailboxes();
            } catch (FolderException e) {
                LOG.debug("Could not purge the in-process mailboxes", e);
            }
            GreenMailUser user = server.getUserManager().getUserByEmail(recipient.getEmail());
            return user != null ? user : server.getUserManager().createUser(recipient.getEmail(), recipient.getEmail(), "");
        });
        server.start();
        LOG.info("In-process SMTP server listening on 127.0.0.1:{} (alerts are logged, not kept)", port);
        return server;
    }

    private static String subjectOf(jakarta.mail.internet.MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            return "(unreadable subject)";
        }
    }
}
