package com.numbersrouter.routes;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What checking a route edit may not do to the running node's beans, whether the edit is applied or refused. */
class RouteCheckSharedBeansTest {

    /** Camel's jacksonXml data format configures the mapper it is given as it starts. */
    @Test
    void aCheckedEditCannotReconfigureTheNodesXmlMapper() {
        XmlMapper nodes = new XmlMapper();
        DefaultCamelContext live = new DefaultCamelContext();
        live.getRegistry().bind("safeXmlMapper", nodes);

        new RouteSetValidator(live).check(Map.of(Path.of("routes/portout.camel.yaml"), """
                - route:
                    id: pretty-answers
                    from:
                      uri: direct:pretty-answers
                      steps:
                        - marshal:
                            jacksonXml:
                              xmlMapper: "#safeXmlMapper"
                              prettyPrint: true
                """));

        assertThat(nodes.isEnabled(SerializationFeature.INDENT_OUTPUT)).isFalse();
    }
}
