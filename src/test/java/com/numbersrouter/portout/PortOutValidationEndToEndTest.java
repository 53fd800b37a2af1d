package com.numbersrouter.portout;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Port-out validation over real HTTP against the demo subscriber directory in config/subscribers.csv.
 * Every answer must be a 200 with a well-formed {@code <PortOutValidationResponse>}: Bandwidth approves the
 * port-out on anything else.
 */
class PortOutValidationEndToEndTest extends NodeTest {

    private static final String PORTOUT = "/webhooks/bandwidth/portout-validation";

    @Autowired
    MeterRegistry meters;

    @Test
    void matchingRequestIsPortableWithPonEchoed() throws Exception {
        Answer answer = post("/webhooks/bandwidth", Payloads.read("portout/valid.xml"));

        assertThat(answer.portable()).isTrue();
        assertThat(answer.pon()).isEqualTo("WIN-20250304-0042");
        assertThat(answer.codes()).isEmpty();
    }

    /**
     * Bandwidth's first request has no credentials: a port-out is challenged like any webhook (by default), and its
     * 401 is counted as a port-out's, where an alert sees port-out challenges Bandwidth does not follow up (each
     * of those approves a port-out). On either URL.
     */
    @ParameterizedTest
    @ValueSource(strings = {PORTOUT, "/webhooks/bandwidth"})
    void aPortOutWithoutCredentialsIsChallengedAndCountedAsAPortOut(String path) {
        double before = webhooks("port-out-validation", "unauthenticated");
        double othersBefore = webhooks("unknown", "unauthenticated");

        HttpResponse<String> challenged = anonymous().post(path, Payloads.read("portout/valid.xml"));

        assertThat(challenged.statusCode()).isEqualTo(401);
        assertThat(challenged.headers().firstValue("WWW-Authenticate")).isPresent();
        await().atMost(5, TimeUnit.SECONDS).until(() -> webhooks("port-out-validation", "unauthenticated") > before);
        assertThat(webhooks("port-out-validation", "unauthenticated")).isEqualTo(before + 1);
        assertThat(webhooks("unknown", "unauthenticated")).isEqualTo(othersBefore);
    }

    private double webhooks(String type, String outcome) {
        Counter counter = meters.find("numbers.router.webhooks").tag("type", type).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void wrongPinIsDeniedWith7513WithoutLeakingThePin() throws Exception {
        Answer answer = post(PORTOUT, Payloads.read("portout/wrong-pin.xml"));

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7513");
        assertThat(answer.xml()).doesNotContain("048213");
    }

    @Test
    void everyFailingCheckIsReported() throws Exception {
        Answer answer = post(PORTOUT, Payloads.read("portout/multiple-failures.xml"));

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).contains("7513", "7515");
    }

    @Test
    void unknownNumberIsDeniedWith7516() throws Exception {
        Answer answer = post(PORTOUT, Payloads.read("portout/unknown-number.xml"));

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).contains("7516");
    }

    @Test
    void e164NumbersMatchTenDigitDirectoryEntries() throws Exception {
        assertThat(post(PORTOUT, Payloads.read("portout/e164.xml")).portable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid/not-well-formed.xml", "invalid/unknown-root.xml", "invalid/json.json",
            "invalid/billion-laughs.xml"})
    void anythingUnreadableOnThePortOutUrlIs200With7598(String fixture) throws Exception {
        Answer answer = post(PORTOUT, Payloads.read(fixture));

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
    }

    @Test
    void doctypeInAPortOutRequestIs200With7598OnAnyPath() throws Exception {
        Answer answer = post("/webhooks/bandwidth", Payloads.read("invalid/portout-with-doctype.xml"));

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
    }

    /** Bodies whose root the parser never reads as Bandwidth's, on the generic URL: never the 400 that approves. */
    @ParameterizedTest
    @ValueSource(strings = {"\r\n<?xml version=\"1.0\"?>", "<ns2:PortOutValidationRequest xmlns:ns2=\"urn:x\">"})
    void aPortOutTheParserCannotReadIs200With7598OnTheGenericUrl(String variant) throws Exception {
        String valid = Payloads.read("portout/valid.xml");
        String body = variant.startsWith("<ns2:")
                ? valid.replaceAll("<\\?xml[^>]*>", "").replace("<PortOutValidationRequest>", variant)
                        .replace("</PortOutValidationRequest>", "</ns2:PortOutValidationRequest>")
                : variant + valid.replaceAll("<\\?xml[^>]*>", "");
        Answer answer = post("/webhooks/bandwidth", body);

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
    }

    @Test
    void truncatedPortOutRequestIs200With7598() throws Exception {
        String valid = Payloads.read("portout/valid.xml");
        Answer answer = post("/webhooks/bandwidth", valid.substring(0, valid.indexOf("</TelephoneNumbers>")));

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
    }

    /** The valid request, with a stranger's number in a first list: only the second list used to be checked. */
    @Test
    void aSecondNumberListIsNotAWayPastTheFirst() throws Exception {
        String valid = Payloads.read("portout/valid.xml");
        String smuggled = valid.replace("<TelephoneNumbers>",
                "<TelephoneNumbers><TelephoneNumber>9195550199</TelephoneNumber></TelephoneNumbers><TelephoneNumbers>");

        assertThat(post(PORTOUT, valid).portable()).isTrue();
        Answer answer = post("/webhooks/bandwidth", smuggled);

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7598");
    }

    @Test
    void wellFormedRequestWithUnexpectedStructureIsStillDenied() throws Exception {
        // Well-formed, so it passes classification: whatever the model makes of it, the answer must be a deny.
        String odd = "<PortOutValidationRequest><PON>WIN-ODD-1</PON>"
                + "<TelephoneNumbers><TelephoneNumber><Nested><Deeper>9195550188</Deeper></Nested></TelephoneNumber>"
                + "</TelephoneNumbers><Pin><A/><B/></Pin></PortOutValidationRequest>";

        Answer answer = post(PORTOUT, odd);

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).isNotEmpty();
    }

    /**
     * Each check Bandwidth's error codes name, over HTTP, on the demo directory: the valid request with one thing
     * taken away or changed (the PON made unique, so no answer is a repeat of another).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "no account number     | <AccountNumber>ACCT-7781234</AccountNumber> |                                      | 7510",
            "no PIN                | <Pin>048213</Pin>                           |                                      | 7512",
            "empty PIN             | <Pin>048213</Pin>                           | <Pin></Pin>                          | 7512",
            "no ZIP code           | <ZipCode>27606</ZipCode>                    |                                      | 7514",
            "an inactive number    | 9195550189                                  | 9195550190                           | 7518",
            "no number at all      | <TelephoneNumber>9195550188</TelephoneNumber> |                                   | 7598"})
    void eachMissingOrFailingFieldIsDeniedWithItsCode(String change, String from, String to, String code) throws Exception {
        String request = Payloads.read("portout/valid.xml").replace("WIN-20250304-0042", "CHECK-" + code + "-" + change.length())
                .replace(from, to == null ? "" : to);
        if ("7598".equals(code)) {
            request = request.replace("<TelephoneNumber>9195550189</TelephoneNumber>", "");
        }

        Answer answer = post(PORTOUT, request);

        assertThat(answer.portable()).as(change).isFalse();
        assertThat(answer.codes()).as(change).containsExactly(code);
    }

    /** A request without a PON is still decided on its merits; the answer has no PON to echo. */
    @Test
    void aRequestWithoutAPonIsDecidedOnItsMerits() throws Exception {
        String request = Payloads.read("portout/valid.xml").replace("<PON>WIN-20250304-0042</PON>", "");

        Answer answer = post(PORTOUT, request);

        assertThat(answer.portable()).isTrue();
        assertThat(answer.xml()).isEqualTo("<PortOutValidationResponse><Portable>true</Portable></PortOutValidationResponse>");
    }

    /** A request in UTF-16 (with its byte order mark and declaration) is read like one in UTF-8, on either URL. */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/bandwidth", PORTOUT})
    void aUtf16RequestIsDecidedOnItsMerits(String path) throws Exception {
        String request = Payloads.read("portout/valid.xml").replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"")
                .replace("WIN-20250304-0042", "UTF16-" + path.length());

        HttpResponse<String> response = bandwidth().post(path, request.getBytes(StandardCharsets.UTF_16),
                "Content-Type", "application/xml; charset=utf-16");

        assertThat(response.statusCode()).isEqualTo(200);
        Answer answer = Answer.parse(response.body());
        assertThat(answer.portable()).isTrue();
        assertThat(answer.pon()).isEqualTo("UTF16-" + path.length());
    }

    /** More numbers than numbers-router.portout.max-telephone-numbers (100): 7517, without looking any of them up. */
    @Test
    void tooManyNumbersIsDeniedWith7517() throws Exception {
        StringBuilder numbers = new StringBuilder();
        for (int n = 0; n < 101; n++) {
            numbers.append("<TelephoneNumber>91955").append(String.format("%05d", n)).append("</TelephoneNumber>");
        }
        String request = Payloads.read("portout/valid.xml").replace("WIN-20250304-0042", "TOO-MANY")
                .replaceAll("(?s)<TelephoneNumbers>.*</TelephoneNumbers>", "<TelephoneNumbers>" + numbers + "</TelephoneNumbers>");

        Answer answer = post(PORTOUT, request);

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7517");
    }

    private Answer post(String path, String xml) throws Exception {
        HttpResponse<String> response = bandwidth().post(path, xml);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/xml"));
        return Answer.parse(response.body());
    }

    record Answer(String xml, boolean portable, String pon, List<String> codes) {

        static Answer parse(String xml) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("PortOutValidationResponse");
            String portable = text(doc, "Portable");
            assertThat(portable).isIn("true", "false");
            List<String> codes = new ArrayList<>();
            NodeList errors = doc.getElementsByTagName("Code");
            for (int i = 0; i < errors.getLength(); i++) {
                codes.add(errors.item(i).getTextContent());
            }
            return new Answer(xml, Boolean.parseBoolean(portable), text(doc, "PON"), codes);
        }

        private static String text(Document doc, String tag) {
            NodeList nodes = doc.getElementsByTagName(tag);
            return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
        }
    }
}
