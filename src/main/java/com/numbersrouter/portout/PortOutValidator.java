package com.numbersrouter.portout;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.numbersrouter.xml.NotificationHeaders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Decides a port-out validation request against the {@link SubscriberDirectory}.
 *
 * <p>Every failing check is reported, each code once, so that the losing subscriber's carrier can fix everything in
 * one corrected request instead of one round trip per problem.
 *
 * <p>Logs carry at most the PON, the number count and the codes: never the PIN, nor any value from our records.
 */
public class PortOutValidator {

    private static final Logger LOG = LoggerFactory.getLogger(PortOutValidator.class);
    private static final int MAX_LOGGED_PON_LENGTH = 40;

    private final SubscriberDirectory directory;
    private final Supplier<PortOutRuleSet> rules;
    private final BoundedPinCheck pinCheck;

    /** @param pinEncoder a {@code DelegatingPasswordEncoder}, so each stored hash names its own algorithm */
    public PortOutValidator(SubscriberDirectory directory, PortOutProperties properties, PasswordEncoder pinEncoder) {
        this(directory, constant(PortOutRuleSet.of(Objects.requireNonNull(properties, "properties"))), pinEncoder);
    }

    /** @param rules the rules in force, read once per request (they reload when config/portout-rules.yaml is saved) */
    public PortOutValidator(SubscriberDirectory directory, Supplier<PortOutRuleSet> rules, PasswordEncoder pinEncoder) {
        this(directory, rules, pinEncoder, BoundedPinCheck.defaultConcurrency());
    }

    /** @param pinChecksAtOnce how many PIN hash checks may run at once (each keeps a core busy) */
    public PortOutValidator(SubscriberDirectory directory, Supplier<PortOutRuleSet> rules, PasswordEncoder pinEncoder,
            int pinChecksAtOnce) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.pinCheck = new BoundedPinCheck(Objects.requireNonNull(pinEncoder, "pinEncoder"), pinChecksAtOnce);
    }

    private static Supplier<PortOutRuleSet> constant(PortOutRuleSet ruleSet) {
        return () -> ruleSet;
    }

    /** True if nothing but a PIN check can make a decision wait (see {@link SubscriberDirectory#answersFromMemory()}). */
    public boolean answersFromMemory() {
        return directory.answersFromMemory();
    }

    /** Which directory decides: recorded with each decision. */
    public String sourceName() {
        return directory.sourceName();
    }

    /**
     * The request's subscribers on file, from one snapshot of the directory, each number asked once: the lockout
     * reads their accounts before the rules read their records ({@link #validate(PortOutValidationRequest, OnFile)}).
     * A request with more numbers than the rules allow is answered 7517 without any being looked up, so none is here.
     */
    public OnFile lookUp(PortOutValidationRequest request) {
        OnFile onFile = new OnFile(rules.get(), directory.snapshot());
        List<String> numbers = request.getTelephoneNumbers();
        if (numbers.size() <= onFile.rules.defaults().maxTelephoneNumbers()) {
            numbers.forEach(number -> TelephoneNumbers.normalize(number).ifPresent(onFile::find));
        }
        return onFile;
    }

    /** Subscribers on file by normalised number, each asked of the directory snapshot once. Not thread-safe. */
    public static final class OnFile {

        /** The rules in force as the request was looked up: the same ones decide it, even if a save comes between. */
        private final PortOutRuleSet rules;
        private final SubscriberDirectory snapshot;
        private final Map<String, Optional<SubscriberRecord>> byNumber = new LinkedHashMap<>();
        private PinEvidence pin = PinEvidence.NOT_CHECKED;
        /** The numbers, and the accounts' lockout keys, whose PIN on file the request's PIN matched. */
        private final Set<String> pinMatchedFor = new TreeSet<>();

        OnFile(PortOutRuleSet rules, SubscriberDirectory snapshot) {
            this.rules = rules;
            this.snapshot = snapshot;
        }

        /**
         * The accounts of the numbers looked up so far. A PIN and an account number belong to the account, shared by
         * its numbers, so the lockout counts wrong guesses for the account too ({@link PortOutLockout#accountKey}).
         */
        public Set<String> accounts() {
            Set<String> accounts = new TreeSet<>();
            byNumber.values().forEach(found -> found.ifPresent(s -> accounts.add(s.accountNumber().strip())));
            return accounts;
        }

        Optional<SubscriberRecord> find(String normalisedNumber) {
            return byNumber.computeIfAbsent(normalisedNumber, snapshot::find);
        }

        /** What {@link #validate(PortOutValidationRequest, OnFile)} found of the PIN: recorded with the decision. */
        public PinEvidence pin() {
            return pin;
        }

        /**
         * The lockout keys (numbers, and {@link PortOutLockout#accountKey accounts}) whose PIN on file was matched: the
         * only ones an approval may clear the wrong guesses of.
         */
        public Set<String> pinMatchedFor() {
            return Set.copyOf(pinMatchedFor);
        }
    }

    /**
     * Whether the decision rested on a PIN: in the audit record, so that an approval on a PIN that matched can be told
     * from one where no PIN was asked (none on file, or the rules do not check it). Never the PIN itself.
     */
    public enum PinEvidence {
        /** A PIN was checked against every hash on file for the request's numbers, and matched. */
        MATCHED("matched"),
        /** A PIN was checked and did not match. */
        WRONG("wrong"),
        /** A PIN was asked for (on file, and required) and none was sent. */
        MISSING("missing"),
        /** No PIN was compared: none on file, the rules do not check one, or the numbers were not found. */
        NOT_CHECKED("not-checked");

        private final String label;

        PinEvidence(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public PortOutValidationResponse validate(PortOutValidationRequest request) {
        return request == null ? invalidRequest(null) : validate(request, lookUp(request));
    }

    /** Decides on the subscribers {@link #lookUp} found for this request. */
    public PortOutValidationResponse validate(PortOutValidationRequest request, OnFile onFile) {
        if (request == null) {
            return invalidRequest(null);
        }
        // one snapshot of the rules and of the directory (onFile) for the whole request, even if a file is saved meanwhile
        PortOutRuleSet ruleSet = onFile.rules;
        PortOutProperties defaults = ruleSet.defaults();
        Set<PortOutErrorCode> failures = EnumSet.noneOf(PortOutErrorCode.class);
        List<String> numbers = request.getTelephoneNumbers();
        String account = request.getAccountNumber();
        String pin = request.getPin();
        String zip = request.getZipCode();
        String name = request.getSubscriberName();

        if (numbers.isEmpty()) {
            failures.add(PortOutErrorCode.INVALID_REQUEST);
        }
        List<String> acceptableNumbers = new ArrayList<>();
        Set<String> zipsOnFile = new HashSet<>();
        Set<String> namesOnFile = new HashSet<>();
        // The rules of every account the requested numbers belong to; the defaults when none is found.
        List<PortOutProperties> applicable = new ArrayList<>();
        if (numbers.size() > defaults.maxTelephoneNumbers()) {
            // The whole request is cancelled on 7517; looking up hundreds of numbers (and hashes) would be wasted.
            failures.add(PortOutErrorCode.TOO_MANY_TELEPHONE_NUMBERS);
        } else {
            boolean pinAsked = false;
            // Subscribers on one account usually share one hash; a bcrypt check is costly, so do each once.
            Map<String, Boolean> pinMatchesByHash = new HashMap<>();
            for (String number : numbers) {
                Optional<SubscriberRecord> found = TelephoneNumbers.normalize(number).flatMap(onFile::find);
                if (found.isEmpty()) {
                    failures.add(PortOutErrorCode.TELEPHONE_NUMBER_NOT_RECOGNIZED);
                    continue;
                }
                SubscriberRecord subscriber = found.get();
                PortOutProperties rule = ruleSet.forAccount(subscriber.accountNumber());
                applicable.add(rule);
                pinAsked |= subscriber.hasPin() && rule.requirePin();
                if (rule.checkAccountNumber() && account != null
                        && !account.strip().equals(subscriber.accountNumber().strip())) {
                    failures.add(PortOutErrorCode.ACCOUNT_NUMBER_INVALID);
                }
                if (rule.checkPin() && subscriber.hasPin() && pin != null
                        && !failures.contains(PortOutErrorCode.PIN_INVALID)) {
                    if (pinMatchesByHash.computeIfAbsent(subscriber.pinHash(), h -> pinCheck.matches(pin, h))) {
                        // the number as the lockout keys it (found, so it normalises)
                        TelephoneNumbers.normalize(number).ifPresent(onFile.pinMatchedFor::add);
                        onFile.pinMatchedFor.add(PortOutLockout.accountKey(subscriber.accountNumber().strip()));
                    } else {
                        failures.add(PortOutErrorCode.PIN_INVALID);
                    }
                }
                if (rule.checkZipCode() && zip != null && !ZipCodes.same(zip, subscriber.zipCode(), rule.zipCodeMatch())) {
                    failures.add(PortOutErrorCode.ZIP_CODE_INVALID);
                }
                boolean active = subscriber.active() || !rule.checkNumberActive();
                if (!active) {
                    failures.add(PortOutErrorCode.TELEPHONE_NUMBER_NOT_ACTIVE);
                }
                if (rule.checkSubscriberName() && name != null
                        && !SubscriberNames.same(name, subscriber.subscriberName(), rule.subscriberNameMatch())) {
                    failures.add(PortOutErrorCode.SUBSCRIBER_NAME_MISMATCH);
                }
                if (active) {
                    acceptableNumbers.add(number);
                }
                zipsOnFile.add(subscriber.zipCode().strip());
                namesOnFile.add(subscriber.subscriberName().strip());
            }
            if (pin == null && pinAsked) {
                failures.add(PortOutErrorCode.PIN_MISSING);
            }
            onFile.pin = pinMatchesByHash.isEmpty()
                    ? pin == null && pinAsked ? PinEvidence.MISSING : PinEvidence.NOT_CHECKED
                    : pinMatchesByHash.containsValue(false) ? PinEvidence.WRONG : PinEvidence.MATCHED;
        }
        if (applicable.isEmpty()) {
            applicable.add(defaults);
        }
        if (account == null && applicable.stream().anyMatch(PortOutProperties::requireAccountNumber)) {
            failures.add(PortOutErrorCode.ACCOUNT_NUMBER_MISSING);
        }
        if (zip == null && applicable.stream().anyMatch(PortOutProperties::requireZipCode)) {
            failures.add(PortOutErrorCode.ZIP_CODE_MISSING);
        }
        if (name == null && applicable.stream().anyMatch(PortOutProperties::checkSubscriberName)) {
            // Nothing to compare is as unconvincing as a wrong name; Bandwidth has no "name missing" code.
            failures.add(PortOutErrorCode.SUBSCRIBER_NAME_MISMATCH);
        }

        PortOutValidationResponse response = failures.isEmpty()
                ? PortOutValidationResponse.portable(request.getPon())
                : PortOutValidationResponse.notPortable(request.getPon(),
                        failures.stream().map(PortOutError::of).toList(),
                        acceptable(defaults.acceptableValues(), acceptableNumbers, zipsOnFile, namesOnFile));
        if (LOG.isDebugEnabled()) {
            LOG.debug("Port-out validation PON={} numbers={} portable={} codes={}", loggable(request.getPon()),
                    numbers.size(), response.isPortable(), failures.stream().map(PortOutErrorCode::code).toList());
        }
        return response;
    }

    /**
     * Only what the operator listed. A ZIP or name is given only when all found numbers share one, so that a
     * request spanning several subscribers cannot collect theirs.
     */
    private static AcceptableValues acceptable(List<PortOutProperties.AcceptableValue> allowed,
            List<String> numbers, Set<String> zips, Set<String> names) {
        if (allowed.isEmpty()) {
            return null;
        }
        return new AcceptableValues(
                allowed.contains(PortOutProperties.AcceptableValue.ZIP_CODE) && zips.size() == 1
                        ? zips.iterator().next() : null,
                allowed.contains(PortOutProperties.AcceptableValue.SUBSCRIBER_NAME) && names.size() == 1
                        ? names.iterator().next() : null,
                allowed.contains(PortOutProperties.AcceptableValue.TELEPHONE_NUMBERS) ? numbers : List.of());
    }

    /** For requests that cannot be read, and for our own failures: a denial Bandwidth will route to Exception. */
    public PortOutValidationResponse invalidRequest(String pon) {
        LOG.debug("Port-out validation PON={} rejected as invalid request", loggable(pon));
        return PortOutValidationResponse.notPortable(pon, List.of(PortOutError.of(PortOutErrorCode.INVALID_REQUEST)));
    }

    /** The PON comes from outside; keep line breaks and other controls out of the log. */
    static String loggable(String pon) {
        if (pon == null) {
            return "-";
        }
        String clean = NotificationHeaders.withControlCharactersAs(pon, "?");
        return clean.length() > MAX_LOGGED_PON_LENGTH ? clean.substring(0, MAX_LOGGED_PON_LENGTH) + "…" : clean;
    }
}
