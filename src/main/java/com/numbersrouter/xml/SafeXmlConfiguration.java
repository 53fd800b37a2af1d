package com.numbersrouter.xml;

import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SafeXmlConfiguration {

    /**
     * Referenced by name from the routes' {@code jacksonXml} data formats. Not a default candidate: an XmlMapper is
     * an ObjectMapper, and it must not replace Spring Boot's JSON mapper (actuator, MVC) by being autowired by type.
     */
    @Bean(defaultCandidate = false)
    public XmlMapper safeXmlMapper() {
        return SafeXml.mapper();
    }

    @Bean
    public XmlText xmlText() {
        return new XmlText();
    }
}
