package com.numbersrouter.portout.audit;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.numbersrouter.portout.PortOutDecision;

/**
 * The one JSON form of a {@link PortOutDecision}, for the journal's lines and the decisions queue alike: compact
 * (one line), instants as ISO-8601 text. Its own mapper on purpose: {@code spring.jackson.*} settings must not change
 * the format of files written last year or of what a CRM already parses.
 */
public class PortOutDecisionJson {

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            // a newer node may add fields; an older one still reads what it knows
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public String toJson(PortOutDecision decision) {
        try {
            return mapper.writeValueAsString(decision);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a port-out decision as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public PortOutDecision fromJson(String json) {
        try {
            return mapper.readValue(json, PortOutDecision.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text as it appears inside a JSON string value (quotes, backslashes and controls escaped). */
    String quoted(String text) {
        try {
            return mapper.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
