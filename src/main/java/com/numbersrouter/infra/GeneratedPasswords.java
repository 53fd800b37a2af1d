package com.numbersrouter.infra;

import java.util.Base64;

import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;

/**
 * The passwords the node makes up when none is configured (the webhook's, the in-process broker's), so a newcomer's
 * node is never open: 32 random bytes from SecureRandom, URL-safe Base64 (43 characters), logged once.
 */
public final class GeneratedPasswords {

    private static final StringKeyGenerator KEYS = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 32);

    private GeneratedPasswords() {
    }

    public static String generate() {
        return KEYS.generateKey();
    }
}
