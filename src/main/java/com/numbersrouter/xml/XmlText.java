package com.numbersrouter.xml;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;

/**
 * Turns the notification's bytes into the text an ESB gets in a JMS TextMessage: decoded with the encoding the
 * document itself declares (as the classifier found it), so a UTF-16 or ISO-8859-1 notification arrives as the
 * characters that were sent, not as mojibake.
 */
public class XmlText {

    public void decode(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String declared = exchange.getVariable("xmlEncoding", String.class);
        Charset charset = StandardCharsets.UTF_8;
        if (declared != null && Charset.isSupported(declared)) {
            charset = Charset.forName(declared);
        }
        String text = new String(body == null ? new byte[0] : body, charset);
        // a byte-order mark belongs to the byte encoding, not to the text
        exchange.getMessage().setBody(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }
}
