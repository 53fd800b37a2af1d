package com.numbersrouter.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Runs each webhook's exchange on the Tomcat thread that read it, and answers it in that same pass through Spring
 * MVC.
 *
 * <p>camel-platform-http on Spring Boot hands every exchange to an executor and returns a {@link CompletableFuture}
 * from its handler method. Spring MVC then answers through an asynchronous request: a hop to another thread, and a
 * second dispatch through every servlet filter and the {@code DispatcherServlet} once the future completes. Profiled
 * under load, that second dispatch cost more CPU than the first. A webhook has nothing to gain from it: its thread
 * would only wait for the broker's commit, and the node bounds webhooks in progress itself ({@link IntakeAdmission}),
 * with Tomcat's thread pool sized above that bound ({@code server.tomcat.threads.max}).
 *
 * <p>So the engine is given an executor that runs the exchange at once, on the calling thread
 * ({@link #INLINE}), and {@link #install} puts this handler in front of Spring MVC's own: a future that is already
 * complete when the handler method returns is answered there and then (a failed exchange's exception is rethrown, to
 * be answered as Spring MVC answers any). A future that is not complete (an engine given a real executor) still goes
 * the asynchronous way, unchanged.
 */
public final class SameThreadExchanges implements HandlerMethodReturnValueHandler {

    /** Runs the exchange on the thread that submits it. */
    public static final Executor INLINE = Runnable::run;

    private final HandlerMethodReturnValueHandler asynchronous = new DeferredResultMethodReturnValueHandler();

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return SpringBootPlatformHttpConsumer.class.isAssignableFrom(returnType.getContainingClass())
                && CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest) throws Exception {
        if (!(returnValue instanceof CompletableFuture<?> future) || !future.isDone()) {
            asynchronous.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
            return;
        }
        // the consumer has written the answer to the response already
        mavContainer.setRequestHandled(true);
        try {
            future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Puts a {@link SameThreadExchanges} first among the {@link RequestMappingHandlerAdapter}'s handlers. */
    public static BeanPostProcessor install() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
                    handlers.add(new SameThreadExchanges());
                    handlers.addAll(adapter.getReturnValueHandlers());
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }
}
