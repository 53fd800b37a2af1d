package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** fail-open, for carriers who would rather let a port proceed than hold it: 7599, on which Bandwidth proceeds. */
@TestPropertySource(properties = "numbers-router.portout.fail-mode=fail-open")
class PortOutFailOpenEndToEndTest extends HangingDirectoryNode {

    @Test
    void aDirectoryThatHangsGets7599WithinTheDeadline() throws Exception {
        PortOutValidationEndToEndTest.Answer answer = postValidRequest("SLOW-OPEN");

        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7599");
        assertThat(recordedDecision("SLOW-OPEN").get("basis").asText()).isEqualTo("fail-open");
    }
}
