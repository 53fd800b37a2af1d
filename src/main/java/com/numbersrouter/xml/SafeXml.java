package com.numbersrouter.xml;

import javax.xml.stream.XMLInputFactory;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;

/**
 * The only way this node turns bytes into XML. Webhooks arrive from the open internet, so DTDs are never
 * processed (no XXE, no billion laughs), entities are never resolved, and depth and sizes are bounded
 * before any object is built.
 */
public final class SafeXml {

    /** Bandwidth payloads are three levels deep; anything far deeper is an attack, not a notification. */
    public static final int MAX_ELEMENT_DEPTH = 32;

    private SafeXml() {
    }

    public static XMLInputFactory inputFactory() {
        // Woodstox explicitly (not XMLInputFactory.newFactory()) so its limits below are always understood.
        WstxInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_ELEMENT_DEPTH);
        factory.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 32);
        factory.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, 4096);
        factory.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, 64 * 1024);
        factory.setProperty(WstxInputProperties.P_MAX_ELEMENT_COUNT, 100_000L);
        return factory;
    }

    /** Jackson XML mapper on the hardened factory; tolerant of unknown elements, as Bandwidth adds fields over time. */
    public static XmlMapper mapper() {
        XmlMapper mapper = new XmlMapper(new XmlFactory(inputFactory()));
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(SerializationFeature.INDENT_OUTPUT, false);
        return mapper;
    }
}
