package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default fail mode: a port-out that cannot be decided in time is held for review, never approved. */
class PortOutFailClosedEndToEndTest extends HangingDirectoryNode {

    @Test
    void aDirectoryThatHangsGetsPortableFalseWith7598WithinTheDeadline() throws Exception {
        PortOutValidationEndToEndTest.Answer answer = postValidRequest("SLOW-CLOSED");

        assertThat(answer.portable()).isFalse();
        assertThat(answer.pon()).isEqualTo("SLOW-CLOSED");
        assertThat(answer.codes()).containsExactly("7598");
        assertThat(answer.xml()).contains("held for review").doesNotContain("048213");
        assertThat(recordedDecision("SLOW-CLOSED").get("basis").asText()).isEqualTo("fail-closed");
    }
}
