package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.numbersrouter.xml.SafeXml;

class PortOutXmlTest {

    private final XmlMapper mapper = SafeXml.mapper();

    @Test
    void readsTheDocumentedFixture() throws Exception {
        PortOutValidationRequest request = read(fixture("valid.xml"));

        assertThat(request.getPon()).isEqualTo("WIN-20250304-0042");
        assertThat(request.getPin()).isEqualTo("048213");
        assertThat(request.getAccountNumber()).isEqualTo("ACCT-7781234");
        assertThat(request.getZipCode()).isEqualTo("27606");
        assertThat(request.getSubscriberName()).isEqualTo("Acme Plumbing LLC");
        assertThat(request.getTelephoneNumbers()).containsExactly("9195550188", "9195550189");
    }

    @ParameterizedTest
    @ValueSource(strings = {"valid.xml", "no-pin.xml", "empty-pin.xml", "single-tn.xml", "e164.xml",
            "minimal-prolog.xml", "wrong-pin.xml", "multiple-failures.xml", "unknown-number.xml"})
    void everyFixtureSurvivesARoundTrip(String name) throws Exception {
        byte[] original = fixture(name);
        PortOutValidationRequest first = read(original);

        byte[] written = mapper.writeValueAsBytes(first);
        PortOutValidationRequest second = read(written);

        assertThat(second).usingRecursiveComparison().isEqualTo(first);
        assertThat(XmlShape.of(written)).isEqualTo(XmlShape.of(original).stream()
                .filter(line -> !line.equals("PortOutValidationRequest/Pin="))
                .toList());
    }

    @Test
    void emptyPinReadsAsNoPin() throws Exception {
        assertThat(read(fixture("empty-pin.xml")).getPin()).isNull();
        assertThat(read(fixture("no-pin.xml")).getPin()).isNull();
        assertThat(read(xml("<Pin>   </Pin><TelephoneNumbers><TelephoneNumber>9195550188</TelephoneNumber>"
                + "</TelephoneNumbers>")).getPin()).isNull();
    }

    @Test
    void keepsLeadingZerosOfThePin() throws Exception {
        assertThat(read(xml("<Pin>0042</Pin>")).getPin()).isEqualTo("0042");
    }

    @Test
    void readsASingleNumberAndE164Numbers() throws Exception {
        assertThat(read(fixture("single-tn.xml")).getTelephoneNumbers()).containsExactly("9195550188");
        assertThat(read(fixture("e164.xml")).getTelephoneNumbers()).containsExactly("+19195550188", "+19195550189");
        assertThat(read(fixture("minimal-prolog.xml")).getPon()).isEqualTo("WIN-20250304-0047");
    }

    @Test
    void ignoresElementOrderAndUnknownElements() throws Exception {
        PortOutValidationRequest request = read(xml("<TelephoneNumbers><TelephoneNumber>9195550188</TelephoneNumber>"
                + "<TelephoneNumber> 9195550189 </TelephoneNumber></TelephoneNumbers>"
                + "<Unexpected><Nested>1</Nested></Unexpected>"
                + "<ZipCode>27606</ZipCode><Pin>048213</Pin><Extra/><PON>P-1</PON><AccountNumber>A-1</AccountNumber>"));

        assertThat(request.getPon()).isEqualTo("P-1");
        assertThat(request.getPin()).isEqualTo("048213");
        assertThat(request.getAccountNumber()).isEqualTo("A-1");
        assertThat(request.getZipCode()).isEqualTo("27606");
        assertThat(request.getSubscriberName()).isNull();
        assertThat(request.getTelephoneNumbers()).containsExactly("9195550188", "9195550189");
    }

    @Test
    void readsMissingOrEmptyNumberListsAsEmpty() throws Exception {
        assertThat(read(xml("<PON>P-1</PON>")).getTelephoneNumbers()).isEmpty();
        assertThat(read(xml("<TelephoneNumbers/>")).getTelephoneNumbers()).isEmpty();
        assertThat(read(xml("<TelephoneNumbers></TelephoneNumbers>")).getTelephoneNumbers()).isEmpty();
    }

    @Test
    void keepsAnEmptyNumberSoItIsReportedAsInvalid() throws Exception {
        assertThat(read(xml("<TelephoneNumbers><TelephoneNumber/></TelephoneNumbers>")).getTelephoneNumbers())
                .containsExactly("");
    }

    @Test
    void writesAnApprovalAsDocumented() throws Exception {
        byte[] xml = mapper.writeValueAsBytes(PortOutValidationResponse.portable("WIN-20250304-0042"));

        assertThat(XmlShape.of(xml)).containsExactly(
                "PortOutValidationResponse/Portable=true",
                "PortOutValidationResponse/PON=WIN-20250304-0042",
                "PortOutValidationResponse");
    }

    @Test
    void writesAnApprovalWithoutPonAsPortableOnly() throws Exception {
        byte[] xml = mapper.writeValueAsBytes(PortOutValidationResponse.portable(null));

        assertThat(new String(xml, StandardCharsets.UTF_8))
                .isEqualTo("<PortOutValidationResponse><Portable>true</Portable></PortOutValidationResponse>");
    }

    @Test
    void writesADenialAsDocumented() throws Exception {
        PortOutValidationResponse response = PortOutValidationResponse.notPortable("WIN-20250304-0042", List.of(
                PortOutError.of(PortOutErrorCode.PIN_INVALID), PortOutError.of(PortOutErrorCode.ZIP_CODE_INVALID)));

        byte[] xml = mapper.writeValueAsBytes(response);

        assertThat(XmlShape.of(xml)).containsExactly(
                "PortOutValidationResponse/Portable=false",
                "PortOutValidationResponse/PON=WIN-20250304-0042",
                "PortOutValidationResponse/Errors/Error/Code=7513",
                "PortOutValidationResponse/Errors/Error/Description=PIN does not match our records",
                "PortOutValidationResponse/Errors/Error",
                "PortOutValidationResponse/Errors/Error/Code=7515",
                "PortOutValidationResponse/Errors/Error/Description=ZIP code does not match service address",
                "PortOutValidationResponse/Errors/Error",
                "PortOutValidationResponse/Errors",
                "PortOutValidationResponse");
        assertThat(new String(xml, StandardCharsets.UTF_8)).doesNotContain("AcceptableValues");
    }

    @Test
    void aDenialReadsBackThroughATree() throws Exception {
        byte[] xml = mapper.writeValueAsBytes(PortOutValidationResponse.notPortable(null,
                List.of(PortOutError.of(PortOutErrorCode.INVALID_REQUEST))));

        var tree = mapper.readTree(xml);

        assertThat(tree.path("Portable").asText()).isEqualTo("false");
        assertThat(tree.has("PON")).isFalse();
        assertThat(tree.path("Errors").path("Error").path("Code").asInt()).isEqualTo(7598);
        assertThat(tree.has("AcceptableValues")).isFalse();
    }

    private PortOutValidationRequest read(byte[] xml) throws IOException {
        return mapper.readValue(xml, PortOutValidationRequest.class);
    }

    private static byte[] xml(String body) {
        return ("<PortOutValidationRequest>" + body + "</PortOutValidationRequest>").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = PortOutXmlTest.class.getResourceAsStream("/payloads/portout/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
