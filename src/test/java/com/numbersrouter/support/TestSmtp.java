package com.numbersrouter.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** A real SMTP server (GreenMail) on a free loopback port. */
public final class TestSmtp {

    private TestSmtp() {
    }

    public static GreenMail start() {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        return greenMail;
    }

    public static int port(GreenMail greenMail) {
        return greenMail.getSmtp().getPort();
    }
}
