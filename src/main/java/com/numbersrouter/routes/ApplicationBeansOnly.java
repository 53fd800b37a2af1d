package com.numbersrouter.routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatFactory;
import org.apache.camel.spi.Language;

/**
 * The node's beans as the scratch validation context sees them: the application's beans (processors, the
 * validator, the connection factory) but none of the running Camel machinery. Camel resolves a component by
 * looking up {@code jms}, then {@code jms-component}, in the registry, where camel-spring-boot has put the live
 * instances; sharing them would let the scratch context stop the node's own components when it shuts down.
 */
final class ApplicationBeansOnly implements BeanRepository {

    private final BeanRepository delegate;

    ApplicationBeansOnly(BeanRepository delegate) {
        this.delegate = delegate;
    }

    /**
     * Components, data formats, languages, endpoints and the context itself. Application services such as an
     * idempotent repository stay visible: routes reference them, and stopping one (all a check does) keeps its data.
     * What must outlive a check, such as the JDBC repository's purge, is started and stopped by Spring, not Camel.
     */
    static boolean isCamelMachinery(Object bean) {
        return bean instanceof Component || bean instanceof DataFormat || bean instanceof DataFormatFactory
                || bean instanceof Language || bean instanceof CamelContext || bean instanceof Endpoint
                || bean instanceof ProducerTemplate || bean instanceof ConsumerTemplate;
    }

    @Override
    public Object lookupByName(String name) {
        Object bean = delegate.lookupByName(name);
        return bean == null || isCamelMachinery(bean) ? null : ownCopy(bean);
    }

    @Override
    public <T> T lookupByNameAndType(String name, Class<T> type) {
        T bean = delegate.lookupByNameAndType(name, type);
        return bean == null || isCamelMachinery(bean) ? null : type.cast(ownCopy(bean));
    }

    /**
     * A Jackson mapper is configured by the data format that uses it, as it starts ({@code prettyPrint},
     * {@code include}, {@code enableFeatures}, modules): a check would change the node's own mapper, the one every
     * port-out is read and answered with, even for an edit it refuses. The check gets a copy.
     */
    private static Object ownCopy(Object bean) {
        return bean instanceof ObjectMapper mapper ? mapper.copy() : bean;
    }

    @Override
    public <T> Map<String, T> findByTypeWithName(Class<T> type) {
        Map<String, T> found = new LinkedHashMap<>();
        delegate.findByTypeWithName(type).forEach((name, bean) -> {
            if (!isCamelMachinery(bean)) {
                found.put(name, bean);
            }
        });
        return found;
    }

    @Override
    public <T> Set<T> findByType(Class<T> type) {
        return delegate.findByType(type).stream().filter(bean -> !isCamelMachinery(bean)).collect(Collectors.toSet());
    }
}
