package com.numbersrouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/** The answer before the record, and the record whatever happens to the answer. */
class PortOutRefusalsTest {

    private static final byte[] FAIL_MODE = "<PortOutValidationResponse/>".getBytes(StandardCharsets.UTF_8);
    private final List<String> recorded = new ArrayList<>();
    private final PortOutRefusals refusals = new PortOutRefusals(FAIL_MODE, FAIL_MODE, reason -> { },
            (failMode, why, body, authorization) -> recorded.add(why));

    @Test
    void theAnswerIsSentBeforeItIsRecordedAndARecordThatFailsLeavesIt() throws IOException {
        PortOutRefusals failing = new PortOutRefusals(FAIL_MODE, FAIL_MODE, reason -> { },
                (failMode, why, body, authorization) -> {
                    throw new OutOfMemoryError("unable to create native thread");
                });
        MockHttpServletResponse response = new MockHttpServletResponse();

        failing.answerUndecided(response, "at the in-flight bound");

        assertThat(response.isCommitted()).isTrue();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsByteArray()).isEqualTo(FAIL_MODE);
    }

    /** A client gone before the answer reached it got silence, which Bandwidth takes as approval: still recorded. */
    @Test
    void anAnswerThatCannotBeSentIsRecordedAll() {
        jakarta.servlet.http.HttpServletResponse gone =
                new jakarta.servlet.http.HttpServletResponseWrapper(new MockHttpServletResponse()) {
                    @Override
                    public void flushBuffer() throws IOException {
                        throw new IOException("Broken pipe");
                    }
                };

        assertThatThrownBy(() -> refusals.answerUndecided(gone, "its body too slow", null, null))
                .isInstanceOf(IOException.class);
        assertThat(recorded).containsExactly("its body too slow");
    }
}
