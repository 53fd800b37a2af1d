package com.numbersrouter.portout;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.numbersrouter.xml.SafeXml;

/**
 * Flattens a document into {@code path=text} lines in document order, so tests can assert the exact element
 * structure, root name included, which a Jackson tree would lose.
 */
final class XmlShape {

    private XmlShape() {
    }

    static List<String> of(byte[] xml) throws XMLStreamException {
        XMLStreamReader reader = SafeXml.inputFactory().createXMLStreamReader(new ByteArrayInputStream(xml));
        List<String> lines = new ArrayList<>();
        Deque<String> path = new ArrayDeque<>();
        Deque<Boolean> hasChildren = new ArrayDeque<>();
        StringBuilder text = new StringBuilder();
        while (reader.hasNext()) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (!hasChildren.isEmpty()) {
                        hasChildren.pop();
                        hasChildren.push(true);
                    }
                    path.addLast(reader.getLocalName());
                    hasChildren.push(false);
                    text.setLength(0);
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text.append(reader.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    String name = String.join("/", path);
                    lines.add(hasChildren.pop() ? name : name + "=" + text.toString().strip());
                    path.removeLast();
                    text.setLength(0);
                }
                default -> {
                }
            }
        }
        return lines;
    }
}
